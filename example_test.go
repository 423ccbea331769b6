package gridgov_test

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/gridgov/gridgov"
)

func ExampleValidator_Struct() {
	// A compound (小区) as an input struct: `validate` holds the rules and `zh` the field's
	// Chinese label.
	type Compound struct {
		ID   string `validate:"gridid" zh:"编号"`
		Name string `validate:"required" zh:"名称"`
	}
	v := gridgov.NewValidator()
	err := v.Struct(Compound{ID: "bad id"})

	fmt.Println(errors.Is(err, gridgov.ErrInvalid))
	var verr *gridgov.ValidationError
	if errors.As(err, &verr) {
		fmt.Println(verr.FieldNames())
		fmt.Println(verr.Message(gridgov.English))
		fmt.Println(verr.Message(gridgov.Chinese))
	}
	// Output:
	// true
	// [ID Name]
	// ID must be 1 to 64 letters, digits or - _ . :
	// Name is a required field
	// 编号必须是1到64个字母、数字或 - _ . : 字符
	// 名称为必填字段
}

func ExampleValidator_RegisterRule() {
	v := gridgov.NewValidator()
	err := v.RegisterRule("multipleof", func(fl validator.FieldLevel) bool {
		n, err := strconv.ParseInt(fl.Param(), 10, 64)
		return err == nil && n != 0 && fl.Field().Int()%n == 0
	}, "{0} must be a multiple of {1}", "{0}必须是{1}的倍数")
	if err != nil {
		panic(err)
	}
	type Shift struct {
		Minutes int `validate:"multipleof=15" zh:"时长"`
	}
	var verr *gridgov.ValidationError
	if errors.As(v.Struct(Shift{Minutes: 40}), &verr) {
		fmt.Println(verr.Fields[0].EN)
		fmt.Println(verr.Fields[0].ZH)
	}
	// Output:
	// Minutes must be a multiple of 15
	// 时长必须是15的倍数
}

func ExampleAlreadyExists() {
	err := fmt.Errorf("add node: %w", gridgov.AlreadyExists("ID", "grid-7"))

	fmt.Println(errors.Is(err, gridgov.ErrAlreadyExists))
	fmt.Println(errors.Is(err, gridgov.ErrInvalid))
	var verr *gridgov.ValidationError
	if errors.As(err, &verr) {
		fmt.Println(verr.Fields[0].EN)
		fmt.Println(verr.Fields[0].ZH)
	}
	// Output:
	// true
	// false
	// ID "grid-7" already exists
	// ID“grid-7”已存在
}

func ExampleValidationError_Merge() {
	type Level struct {
		Key string `validate:"required" zh:"标识"`
	}
	verr := &gridgov.ValidationError{}
	// Field rules first; a failure that is not a validation error would be returned as is.
	if err := verr.Merge(gridgov.NewValidator().Struct(Level{})); err != nil {
		fmt.Println("unexpected:", err)
		return
	}
	// Then the rules that span fields.
	verr.Add("Levels[1].Key", "unique", "level key is used twice", "层级标识重复")
	fmt.Println(verr.Err())
	// Output:
	// gridgov: invalid input (输入无效): Key is a required field (标识为必填字段); level key is used twice (层级标识重复)
}

func ExampleNewSequence() {
	ids := gridgov.NewSequence("node")
	fmt.Println(ids.NewID())
	fmt.Println(ids.NewID())
	fmt.Println(ids.NewID())
	// Output:
	// node-000001
	// node-000002
	// node-000003
}

func ExampleNewULIDs() {
	// A fake clock and a seeded entropy source make the identifiers reproducible.
	clock := gridgov.NewFakeClock(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
	ids := gridgov.NewULIDs(clock, rand.NewChaCha8([32]byte{}))
	a := ids.NewID()
	b := ids.NewID() // same millisecond: the random part is incremented
	clock.Advance(time.Second)
	c := ids.NewID()
	fmt.Println(len(a), a[:10] == b[:10], a < b, b < c)
	// Output:
	// 26 true true true
}

func ExampleValidID() {
	for _, id := range []string{"grid-7", "street:3.community_2", "grid 7", "网格7", ""} {
		fmt.Printf("%q %v\n", id, gridgov.ValidID(id))
	}
	// Output:
	// "grid-7" true
	// "street:3.community_2" true
	// "grid 7" false
	// "网格7" false
	// "" false
}

func ExampleFakeClock() {
	start := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := gridgov.NewFakeClock(start)
	fmt.Println(clock.Now().Format(time.DateTime))
	fmt.Println(clock.Advance(36 * time.Hour).Format(time.DateTime))
	clock.Set(start.Add(-time.Hour)) // a clock may also step back
	fmt.Println(clock.Now().Format(time.DateTime))
	// Output:
	// 2025-03-01 09:00:00
	// 2025-03-02 21:00:00
	// 2025-03-01 08:00:00
}

func ExamplePhone() {
	type Reporter struct {
		Name  gridgov.PersonName
		Phone gridgov.Phone
	}
	r := Reporter{Name: "张三丰", Phone: "13812345678"}
	fmt.Println(r.Phone)
	fmt.Printf("%+v\n", r)

	// Structured logs are masked too.
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // drop the time for a stable output
			}
			return a
		},
	}))
	log.Info("complaint", "reporter", r.Name, "phone", r.Phone)

	// Only Reveal returns the number, for callers with authority.
	fmt.Println(r.Phone.Reveal())
	// Output:
	// 138****5678
	// {Name:张** Phone:138****5678}
	// level=INFO msg=complaint reporter=张** phone=138****5678
	// 13812345678
}

func ExamplePersonName() {
	for _, n := range []gridgov.PersonName{"张三", "欧阳娜娜", "John Smith", "李"} {
		fmt.Println(n)
	}
	// Output:
	// 张*
	// 欧***
	// J*********
	// *
}

func ExampleActor() {
	clerk := gridgov.PersonActor("p-17")
	sweeper := gridgov.SystemActor("sweeper")
	fmt.Println(clerk, clerk.IsSystem())
	fmt.Println(sweeper, sweeper.IsSystem())
	fmt.Println(sweeper.Kind)
	// Output:
	// person:p-17 false
	// system:sweeper true
	// system
}
