package memory_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/escalation"
	"github.com/gridgov/gridgov/store/memory"
)

// escBenchT0 is when the benchmark complaints start arriving.
var escBenchT0 = time.Date(2024, time.March, 1, 8, 0, 0, 0, time.UTC)

// escBenchDue is the bound of the benchmarks' ListDue: the due complaints have their DueAt
// on the first day, all others later.
var escBenchDue = escBenchT0.Add(24 * time.Hour)

var escBenchTexts = []string{
	"%d号楼%d单元楼道灯坏了，晚上出入不便，请尽快维修。",
	"%d号楼%d单元电梯经常停运，老人上下楼困难。",
	"小区%d号门口有车辆长期占用消防通道，%d次劝离无效。",
	"%d号楼顶层漏水，%d楼住户家中墙面发霉。",
	"%d号楼附近垃圾桶满溢未及时清运，已有%d天。",
	"%d号楼%d单元门禁损坏，陌生人随意进出。",
}

var escBenchCategories = []string{"property", "utilities", "parking", "sanitation", "security", "greening"}

// escBenchComplaint returns the i-th complaint of a benchmark district with n complaints,
// as an app submission referred to its grid: five-level path (district, street, community,
// grid, building), a reporter with name and phone, times with nanoseconds as a clock gives
// them, the referral's deadlines, and DueAt at its response warning. Every (n/1000)-th complaint is filed in the community "cm-T"; every
// other one, offset by half that stride, is due on the first day. So a store of n holds
// 1,000 complaints in cm-T and 1,000 due, scattered through the ID order.
func escBenchComplaint(i, n int) escalation.Complaint {
	stride := max(n/1000, 1)
	h := uint32(i) * 2654435761 // spreads the complaints over the district
	street, community, grid, building := h%10, h/10%10, h/100%10, h/1000%10
	cm := fmt.Sprintf("cm-%d-%d", street, community)
	if i%stride == 0 {
		street, cm = 0, "cm-T"
	}
	st := fmt.Sprintf("st-%d", street)
	gd := fmt.Sprintf("%s-gd-%d", cm, grid)
	bd := fmt.Sprintf("%s-bd-%d", gd, building)
	// Times come from a clock, so they carry nanoseconds.
	frac := time.Duration(h % 1e9)
	submitted := escBenchT0.Add(time.Duration(i%86400)*time.Second + frac)
	due := escBenchT0.Add(48*time.Hour + time.Duration(i%(28*86400))*time.Second + frac)
	if i%stride == stride/2 {
		due = escBenchT0.Add(time.Duration(i%86400)*time.Second + frac)
	}
	return escalation.Complaint{
		ID:          fmt.Sprintf("01HR%022d", i),
		Channel:     escalation.ChannelApp,
		Category:    escBenchCategories[i%len(escBenchCategories)],
		Description: fmt.Sprintf(escBenchTexts[i%len(escBenchTexts)], 1+i%30, 1+i%6),
		NodeID:      bd,
		Path:        []string{"district", st, cm, gd, bd},
		Reporter: escalation.Reporter{
			PersonID: fmt.Sprintf("res-%07d", i),
			Name:     "张小明",
			Phone:    gridgov.Phone(fmt.Sprintf("138%08d", i)),
		},
		Urgency:            escalation.UrgencyNormal,
		State:              escalation.StateReferred,
		TierLevel:          "grid",
		TierNodeID:         gd,
		Handler:            "gw-" + gd,
		SubmittedAt:        submitted,
		AcceptedAt:         submitted.Add(10 * time.Minute),
		ReferredAt:         submitted.Add(15 * time.Minute),
		ResponseDue:        due.Add(4 * time.Hour),
		ResolutionDue:      due.Add(7 * 24 * time.Hour),
		FirstResolutionDue: due.Add(7 * 24 * time.Hour),
		DueAt:              due,
	}
}

// escBenchEvents are the two events of a benchmark complaint: its submission and its
// acceptance with referral.
func escBenchEvents(c escalation.Complaint) (submit, refer escalation.Event) {
	submit = escalation.Event{Kind: escalation.EventSubmit, To: escalation.StateSubmitted,
		Actor: gridgov.PersonActor(c.Reporter.PersonID), At: c.SubmittedAt}
	refer = escalation.Event{Kind: escalation.EventRefer, From: escalation.StateAccepted, To: escalation.StateReferred,
		Actor: gridgov.PersonActor(c.Handler), At: c.ReferredAt, Note: "转网格员处置"}
	return submit, refer
}

// loadEscalation stores n benchmark complaints, each created (with an idempotency key, as
// an app submission carries) and then updated once, so each has two events.
func loadEscalation(b testing.TB, n int) *memory.EscalationStore {
	b.Helper()
	ctx := context.Background()
	st := memory.NewEscalationStore()
	for i := range n {
		c := escBenchComplaint(i, n)
		submit, refer := escBenchEvents(c)
		intake := c
		intake.State = escalation.StateSubmitted
		stored, _, err := st.CreateComplaint(ctx, intake, fmt.Sprintf("app-req-%08d", i), submit)
		if err != nil {
			b.Fatal(err)
		}
		c.Version = stored.Version
		if _, err := st.UpdateComplaint(ctx, c, refer); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

// escBenchStores caches the large benchmark stores across benchmarks of one run.
var escBenchStores = struct {
	sync.Mutex
	m map[int]*memory.EscalationStore
}{m: map[int]*memory.EscalationStore{}}

func escBenchStore(b *testing.B, n int) *memory.EscalationStore {
	escBenchStores.Lock()
	defer escBenchStores.Unlock()
	if st, ok := escBenchStores.m[n]; ok {
		return st
	}
	st := loadEscalation(b, n)
	escBenchStores.m[n] = st
	return st
}

// heapAlloc returns the live heap after a full collection.
func heapAlloc() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkEscalationBytesPerComplaint measures the live heap per stored complaint: 100,000
// open complaints with realistic content (see escBenchComplaint), an idempotency key and
// two events each. The "store" case is EscalationStore; "plain_maps" is the baseline of
// the same data kept plainly (complaints by ID in a map, each with its own copy of its
// slices, events in a slice with per-complaint index lists, keys in a map), with no ID,
// path or deadline index at all. The heap is measured once, after loading; the timed loop
// then reads complaints by ID (so ns/op is a look-up among 100,000).
func BenchmarkEscalationBytesPerComplaint(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	b.Run("store", func(b *testing.B) {
		before := heapAlloc()
		st := loadEscalation(b, n)
		perComplaint := float64(heapAlloc()-before) / n
		ids := escBenchIDs(n)
		i := 0
		for b.Loop() {
			if _, err := st.GetComplaint(ctx, ids[i%n]); err != nil {
				b.Fatal(err)
			}
			i += 7919
		}
		b.ReportMetric(perComplaint, "B/complaint")
	})
	b.Run("plain_maps", func(b *testing.B) {
		type plain struct {
			complaints map[string]*escalation.Complaint
			keys       map[string]string
			events     []escalation.Event
			history    map[string][]int
		}
		before := heapAlloc()
		p := plain{complaints: map[string]*escalation.Complaint{}, keys: map[string]string{}, history: map[string][]int{}}
		for i := range n {
			c := escBenchComplaint(i, n).Clone()
			submit, refer := escBenchEvents(c)
			c.Version = 2
			p.complaints[c.ID] = &c
			p.keys[fmt.Sprintf("app-req-%08d", i)] = c.ID
			p.events = append(p.events, submit, refer)
			p.history[c.ID] = []int{len(p.events) - 2, len(p.events) - 1}
		}
		perComplaint := float64(heapAlloc()-before) / n
		ids := escBenchIDs(n)
		i := 0
		for b.Loop() {
			if c := p.complaints[ids[i%n]]; c == nil {
				b.Fatal("missing")
			} else {
				sink = c.Clone() // what a store read costs at least: a copy
			}
			i += 7919
		}
		b.ReportMetric(perComplaint, "B/complaint")
	})
}

// sink keeps benchmark results alive.
var sink escalation.Complaint

// escBenchIDs returns the IDs of the n benchmark complaints.
func escBenchIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = escBenchComplaint(i, n).ID
	}
	return ids
}

// BenchmarkListDue lists the 1,000 due complaints of a store holding 1,000 or 1,000,000
// open ones; the deadline index keeps the second within a small factor of the first.
func BenchmarkListDue(b *testing.B) {
	for _, tc := range []struct {
		name string
		open int
	}{{"1k_due_of_1k_open", 1000}, {"1k_due_of_1M_open", 1_000_000}} {
		b.Run(tc.name, func(b *testing.B) {
			st := escBenchStore(b, tc.open)
			ctx := context.Background()
			list := func() {
				due, err := st.ListDue(ctx, escBenchDue, 0)
				if err != nil || len(due) != 1000 {
					b.Fatal(len(due), err)
				}
			}
			warmHeap(list)
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				list()
			}
			cpu.report(b)
		})
	}
}

// BenchmarkListWithin lists the 1,000 complaints of one community from a store holding
// 1,000 or 1,000,000; the path index keeps the second within a small factor of the first.
func BenchmarkListWithin(b *testing.B) {
	for _, tc := range []struct {
		name string
		open int
	}{{"1k_within_of_1k", 1000}, {"1k_within_of_1M", 1_000_000}} {
		b.Run(tc.name, func(b *testing.B) {
			st := escBenchStore(b, tc.open)
			ctx := context.Background()
			list := func() {
				got, next, err := st.ListComplaints(ctx, escalation.Query{Within: "cm-T"})
				if err != nil || len(got) != 1000 || next != "" {
					b.Fatal(len(got), next, err)
				}
			}
			warmHeap(list)
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				list()
			}
			cpu.report(b)
		})
	}
}

// BenchmarkUpdateComplaint updates complaints of a 100,000-complaint store in turn, each at
// its current version, moving its DueAt (so the deadline index changes too) and appending
// an event.
func BenchmarkUpdateComplaint(b *testing.B) {
	const n = 100_000
	st := loadEscalation(b, n)
	ctx := context.Background()
	current := make([]escalation.Complaint, n)
	for i := range current {
		c, err := st.GetComplaint(ctx, escBenchComplaint(i, n).ID)
		if err != nil {
			b.Fatal(err)
		}
		current[i] = c
	}
	ev := escalation.Event{Kind: escalation.EventWarn, From: escalation.StateReferred, To: escalation.StateReferred,
		Actor: gridgov.SystemActor("sweeper"), At: escBenchDue, Note: "响应时限将至"}
	runtime.GC()
	b.ReportAllocs()
	cpu := startCPU()
	i := 0
	for b.Loop() {
		c := current[i]
		c.WarnedResponse = true
		c.DueAt = c.DueAt.Add(time.Hour)
		stored, err := st.UpdateComplaint(ctx, c, ev)
		if err != nil {
			b.Fatal(err)
		}
		current[i] = stored
		i = (i + 1) % n
	}
	cpu.report(b)
}

// cpuClock measures the process CPU time of a benchmark loop.
type cpuClock struct {
	start int64
	ok    bool
}

func startCPU() cpuClock {
	start, ok := processCPU()
	return cpuClock{start, ok}
}

// report adds the metric cpu-ns/op: the process CPU time per operation.
func (c cpuClock) report(b *testing.B) {
	end, ok := processCPU()
	if c.ok && ok && b.N > 0 {
		b.ReportMetric(float64(end-c.start)/float64(b.N), "cpu-ns/op")
	}
}
