package sim

import (
	"fmt"
	"math/rand/v2"
)

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅志军文斌海燕春晓东")
	places   = []string{"幸福", "和平", "锦绣", "阳光", "翠园", "紫荆", "金桥", "春晖", "康乐", "枫林",
		"云龙", "滨江", "晨曦", "桂苑", "丽景", "银河", "富康", "东湖", "南山", "长青"}
	suffixes = []string{"小区", "花园", "家园", "新村", "苑", "雅居", "公寓", "名都"}
)

// PersonName returns a generated Chinese name of two or three characters.
func PersonName(r *rand.Rand) string {
	n := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))])
	if r.IntN(3) > 0 {
		n += string(given[r.IntN(len(given))])
	}
	return n
}

// CompoundName returns the name of the i-th compound (小区): unique for each i, readable
// for the first few hundred.
func CompoundName(i int) string {
	name := places[i%len(places)] + suffixes[(i/len(places))%len(suffixes)]
	if round := i / (len(places) * len(suffixes)); round > 0 {
		name = fmt.Sprintf("%s%d期", name, round+1)
	}
	return name
}

// Phone returns a generated mobile number (personal data: the library masks it).
func Phone(r *rand.Rand) string { return fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1e9)) }
