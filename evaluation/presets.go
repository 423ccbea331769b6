package evaluation

import (
	"github.com/shopspring/decimal"

	"github.com/gridgov/gridgov/escalation"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// sheet builds a required indicator scored on evaluators' sheets.
func sheet(key, name, max string) Indicator {
	return Indicator{Key: key, Name: name, Max: d(max), Required: true}
}

// FirmScheme is a preset for the compound Party branch's year-end comprehensive evaluation
// of a property firm (物业服务企业综合评价), modelled on local practice (total 100):
//
//	basic services 基础服务 0.30      security, cleaning, greenery, order, repair (10 each)
//	cooperation 配合业委会 0.05       cooperation with the committees; rectification
//	key tasks 重点工作 0.10           waste sorting; emergencies (optional)
//	management 内部管理 0.10          internal management; financial disclosure
//	satisfaction 居民满意度 0.20       resident survey (basically satisfied counts 0.9)
//	complaints 诉求办理 0.15          composite of the three rates, on-time rate, rework rate
//	quarterly 季度考评 0.05           the community's quarterly scores
//	Party building 党建覆盖 0.05      Party-building coverage (branch or instructor)
//
// The compound Party branch weighs 0.6 and the owners' committee 0.4 on the sheets; merits
// count up to 5 points and demerits up to 20; the veto items are a major safety accident,
// a mass incident and abandoning the compound.
func FirmScheme() Scheme {
	return Scheme{
		ID: "firm", Name: "物业服务企业综合评价", Subject: SubjectFirm, Total: d("100"),
		SurveyBasicCredit: d("0.9"), MeritCap: d("5"), DemeritCap: d("20"),
		Evaluators: []EvaluatorRole{
			{Key: "branch", Name: "小区党支部", Weight: d("0.6")},
			{Key: "committee", Name: "业主委员会", Weight: d("0.4")},
		},
		Categories: []Category{
			{Key: "basic", Name: "基础服务", Weight: d("0.30"), Indicators: []Indicator{
				sheet("security", "秩序维护与安防", "10"), sheet("cleaning", "保洁", "10"), sheet("greenery", "绿化养护", "10"),
				sheet("order", "公共秩序与停车", "10"), sheet("repair", "共用设施维修", "10"),
			}},
			{Key: "cooperation", Name: "配合业委会与党支部", Weight: d("0.05"), Indicators: []Indicator{
				sheet("cooperation", "配合协作", "10"), {Key: "rectification", Name: "整改落实", Max: d("10")},
			}},
			{Key: "key_tasks", Name: "重点工作", Weight: d("0.10"), Indicators: []Indicator{
				sheet("waste_sorting", "垃圾分类", "10"), {Key: "emergency", Name: "应急处置", Max: d("10")},
			}},
			{Key: "management", Name: "内部管理与财务公开", Weight: d("0.10"), Indicators: []Indicator{
				sheet("internal", "内部管理", "10"), sheet("disclosure", "财务公开", "10"),
			}},
			{Key: "satisfaction", Name: "居民满意度", Weight: d("0.20"), Indicators: []Indicator{
				{Key: "survey", Name: "满意度测评", Max: d("100"), Required: true, Source: SourceSurvey},
			}},
			{Key: "complaints", Name: "诉求办理", Weight: d("0.15"), Indicators: []Indicator{
				{Key: "three_rates", Name: "三率综合", Max: d("10"), Required: true, Source: SourceComplaints, Measure: escalation.MeasureComposite},
				{Key: "on_time", Name: "按时办结率", Max: d("5"), Required: true, Source: SourceComplaints, Measure: escalation.MeasureOnTime},
				{Key: "rework", Name: "返工率", Max: d("5"), Required: true, Source: SourceComplaints, Measure: escalation.MeasureRework},
			}},
			{Key: "quarterly", Name: "社区季度考评", Weight: d("0.05"), Indicators: []Indicator{
				{Key: "quarterly", Name: "季度考评", Max: d("100"), Required: true, Source: SourceQuarterly},
			}},
			{Key: "party", Name: "党建覆盖", Weight: d("0.05"), Indicators: []Indicator{
				sheet("party_coverage", "党的组织和工作覆盖", "10"),
			}},
		},
		Vetoes: []Veto{
			{Key: "safety", Name: "重大安全责任事故"},
			{Key: "mass_incident", Name: "引发群体性事件"},
			{Key: "abandon", Name: "擅自撤离、弃管小区"},
		},
	}
}

// CommitteeScheme is a preset for the community Party organisation's evaluation of an
// owners' committee or property management committee (业委会（物管会）评议), total 100:
//
//	duties 依法履职 0.30              meetings held, decisions carried out, supervision of the firm
//	finance 资金管理 0.30             disclosure of accounts, maintenance-fund use, audit
//	matters 矛盾化解 0.20             matters dealt with, deliberation led
//	conduct 党建引领与廉洁 0.20       Party leadership (cross-appointment), integrity
//
// The community Party organisation weighs 0.7 and the compound Party branch 0.3; merits
// count up to 5 points and demerits up to 20; the veto items are misappropriating funds and
// acting beyond the committee's powers in a way that harms owners.
func CommitteeScheme() Scheme {
	return Scheme{
		ID: "committee", Name: "业主委员会（物业管理委员会）评议", Subject: SubjectCommittee, Total: d("100"),
		SurveyBasicCredit: d("0.9"), MeritCap: d("5"), DemeritCap: d("20"),
		Evaluators: []EvaluatorRole{
			{Key: "community", Name: "社区党组织", Weight: d("0.7")},
			{Key: "branch", Name: "小区党支部", Weight: d("0.3")},
		},
		Categories: []Category{
			{Key: "duties", Name: "依法履职", Weight: d("0.30"), Indicators: []Indicator{
				sheet("meetings", "按规定召开会议", "10"), sheet("decisions", "执行业主大会决定", "10"), sheet("supervision", "监督物业服务", "10"),
			}},
			{Key: "finance", Name: "资金管理", Weight: d("0.30"), Indicators: []Indicator{
				sheet("accounts", "账目公开", "10"), {Key: "maintenance_fund", Name: "维修资金使用", Max: d("10")}, sheet("audit", "审计监督", "10"),
			}},
			{Key: "matters", Name: "矛盾化解", Weight: d("0.20"), Indicators: []Indicator{
				sheet("matters", "事项办理", "10"), sheet("deliberation", "议事协商", "10"),
			}},
			{Key: "conduct", Name: "党建引领与廉洁自律", Weight: d("0.20"), Indicators: []Indicator{
				sheet("party_lead", "党建引领、交叉任职", "10"), sheet("integrity", "廉洁自律", "10"),
			}},
		},
		Vetoes: []Veto{
			{Key: "misappropriation", Name: "挪用、侵占业主共有资金"},
			{Key: "ultra_vires", Name: "越权决策损害业主利益"},
		},
	}
}
