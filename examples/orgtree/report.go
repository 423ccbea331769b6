package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/gridgov/gridgov/governance"
	"github.com/shopspring/decimal"
)

// row is one line of the coverage table.
type row struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	Compounds            int             `json:"compounds"`
	OwnersCommittees     int             `json:"owners_committees"`
	RedOwnersCommittees  int             `json:"red_owners_committees"`
	ManagementCommittees int             `json:"management_committees"`
	WithoutCommittee     []string        `json:"without_committee"`
	Firms                int             `json:"firms"`
	FirmsWithBranch      int             `json:"firms_with_branch"`
	FirmsWithInstructor  int             `json:"firms_with_instructor"`
	FirmsWithNeither     []string        `json:"firms_with_neither"`
	CrossAppointmentRate decimal.Decimal `json:"cross_appointment_rate"`
	OneShoulder          int             `json:"one_shoulder"`
}

// report is everything the program prints.
type report struct {
	District       row             `json:"district"`
	Communities    []row           `json:"communities"`
	Moved          int             `json:"compounds_moved"`
	NewCommunities int             `json:"new_communities"`
	Registrations  int             `json:"checkin_registrations"`
	ServiceHours   decimal.Decimal `json:"checkin_service_hours"`
}

func toRow(c governance.CoverageReport) row {
	names := func(refs []governance.Ref) []string {
		out := []string{}
		for _, r := range refs {
			out = append(out, r.Name)
		}
		return out
	}
	return row{
		ID: c.Root.ID, Name: c.Root.Name, Compounds: c.Compounds,
		OwnersCommittees: c.WithOwnersCommittee, RedOwnersCommittees: c.RedOwnersCommittees,
		ManagementCommittees: c.WithManagementCommittee, WithoutCommittee: names(c.WithNeither),
		Firms: c.Firms, FirmsWithBranch: c.FirmsWithBranch, FirmsWithInstructor: c.FirmsWithInstructor,
		FirmsWithNeither: names(c.FirmsWithNeither), CrossAppointmentRate: c.CrossAppointmentRate(),
		OneShoulder: c.OneShoulder,
	}
}

func (d *district) report(ctx context.Context) (report, error) {
	var rep report
	total, err := d.reg.Coverage(ctx, d.root)
	if err != nil {
		return rep, err
	}
	rep.District = toRow(total)
	rep.ServiceHours = decimal.Zero
	for _, c := range d.communities {
		cov, err := d.reg.Coverage(ctx, c)
		if err != nil {
			return rep, err
		}
		rep.Communities = append(rep.Communities, toRow(cov))
		sums, err := d.reg.ServiceSummaries(ctx, c)
		if err != nil {
			return rep, err
		}
		for _, s := range sums {
			rep.Registrations++
			rep.ServiceHours = rep.ServiceHours.Add(s.Hours)
		}
	}
	rep.Moved, rep.NewCommunities = d.moved, d.newComms
	return rep, nil
}

var headings = map[string][]string{
	"zh": {"编号", "名称", "小区", "业委会", "红色业委会", "物管会", "无委员会", "物业企业", "有党支部", "有指导员", "均无", "交叉任职率", "一肩挑"},
	"en": {"id", "name", "compounds", "owners' cttees", "red", "mgmt cttees", "no cttee", "firms", "with branch", "with instructor", "neither", "cross-appt rate", "one shoulder"},
}

func (r row) cells() []string {
	return []string{
		r.ID, r.Name, strconv.Itoa(r.Compounds), strconv.Itoa(r.OwnersCommittees), strconv.Itoa(r.RedOwnersCommittees),
		strconv.Itoa(r.ManagementCommittees), strconv.Itoa(len(r.WithoutCommittee)), strconv.Itoa(r.Firms),
		strconv.Itoa(r.FirmsWithBranch), strconv.Itoa(r.FirmsWithInstructor), strconv.Itoa(len(r.FirmsWithNeither)),
		r.CrossAppointmentRate.Mul(decimal.NewFromInt(100)).StringFixed(1) + "%", strconv.Itoa(r.OneShoulder),
	}
}

func (rep report) write(out io.Writer, cfg config) error {
	switch cfg.format {
	case "json":
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "csv":
		w := csv.NewWriter(out)
		_ = w.Write(headings[cfg.lang])
		for _, r := range rep.Communities {
			_ = w.Write(r.cells())
		}
		_ = w.Write(rep.District.cells())
		w.Flush()
		return w.Error()
	}
	return rep.writeTable(out, cfg.lang)
}

func (rep report) writeTable(out io.Writer, lang string) error {
	t := func(zh, en string) string {
		if lang == "en" {
			return en
		}
		return zh
	}
	fmt.Fprintln(out, t("相山区组织覆盖情况（党建引领网格化治理）", "Xiangshan district: organisational coverage (Party-led grid governance)"))
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	writeCells := func(cells []string) {
		for _, c := range cells {
			fmt.Fprint(tw, c, "\t")
		}
		fmt.Fprintln(tw)
	}
	writeCells(headings[lang])
	for _, r := range rep.Communities {
		writeCells(r.cells())
	}
	writeCells(rep.District.cells())
	if err := tw.Flush(); err != nil {
		return err
	}
	d := rep.District
	fmt.Fprintln(out)
	fmt.Fprintf(out, t("小区（网格）党组织 %d 个；红色业委会 %d 个 + 物业管理委员会 %d 个 = %d 个，覆盖率 %s\n",
		"compound/grid Party branches %d; red owners' committees %d + management committees %d = %d, coverage %s\n"),
		d.Compounds, d.RedOwnersCommittees, d.ManagementCommittees, d.OwnersCommittees+d.ManagementCommittees,
		percent(d.OwnersCommittees+d.ManagementCommittees, d.Compounds))
	fmt.Fprintf(out, t("物业企业 %d 家：单独建立党支部 %d 家 + 选派党建指导员 %d 家 = %d 家，覆盖率 %s\n",
		"property firms %d: own Party branch %d + Party-building instructor %d = %d, coverage %s\n"),
		d.Firms, d.FirmsWithBranch, d.FirmsWithInstructor, d.FirmsWithBranch+d.FirmsWithInstructor,
		percent(d.FirmsWithBranch+d.FirmsWithInstructor, d.Firms))
	fmt.Fprintf(out, t("交叉任职率 %s，一肩挑 %d 个小区\n", "cross-appointment rate %s, one shoulder in %d compounds\n"),
		d.CrossAppointmentRate.Mul(decimal.NewFromInt(100)).StringFixed(1)+"%", d.OneShoulder)
	fmt.Fprintf(out, t("区划调整：新设社区 %d 个，调整小区 %d 个（沿革可查）\n", "re-districting: %d new communities, %d compounds moved (history kept)\n"),
		rep.NewCommunities, rep.Moved)
	fmt.Fprintf(out, t("双报到：在职党员报到 %d 人次，服务时长 %s 小时\n", "check-ins (双报到): %d in-service members registered, %s hours served\n"),
		rep.Registrations, rep.ServiceHours.StringFixed(2))
	return nil
}

func percent(n, d int) string {
	if d == 0 {
		return "-"
	}
	return decimal.NewFromInt(int64(n*100)).DivRound(decimal.NewFromInt(int64(d)), 1).StringFixed(1) + "%"
}
