package sim

import (
	"container/heap"
	"time"
)

// Agenda is a simulation's queue of steps due at set times (日程): [Agenda.Next] gives the
// earliest, and steps due at the same instant come out in the order they were scheduled, so
// a run is deterministic for its seed. The zero value is an empty agenda.
type Agenda[T any] struct {
	h   agendaHeap[T]
	seq int
}

// Schedule adds v, due at at.
func (a *Agenda[T]) Schedule(at time.Time, v T) {
	a.seq++
	heap.Push(&a.h, entry[T]{at: at, seq: a.seq, v: v})
}

// Len returns the number of steps waiting.
func (a *Agenda[T]) Len() int { return len(a.h) }

// NextAt returns when the earliest step is due, and false when the agenda is empty.
func (a *Agenda[T]) NextAt() (time.Time, bool) {
	if len(a.h) == 0 {
		return time.Time{}, false
	}
	return a.h[0].at, true
}

// Next removes and returns the earliest step and its time; ok is false when the agenda is
// empty.
func (a *Agenda[T]) Next() (at time.Time, v T, ok bool) {
	if len(a.h) == 0 {
		return at, v, false
	}
	e := heap.Pop(&a.h).(entry[T])
	return e.at, e.v, true
}

// entry is a scheduled step with its due time and scheduling order.
type entry[T any] struct {
	at  time.Time
	seq int
	v   T
}

// agendaHeap orders entries by time, then by scheduling order (container/heap).
type agendaHeap[T any] []entry[T]

func (h agendaHeap[T]) Len() int { return len(h) }
func (h agendaHeap[T]) Less(i, j int) bool {
	if c := h[i].at.Compare(h[j].at); c != 0 {
		return c < 0
	}
	return h[i].seq < h[j].seq
}
func (h agendaHeap[T]) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *agendaHeap[T]) Push(x any)   { *h = append(*h, x.(entry[T])) }
func (h *agendaHeap[T]) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
