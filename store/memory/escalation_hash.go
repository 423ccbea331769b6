package memory

import "hash/maphash"

// hashIndex maps strings (complaint IDs, idempotency keys) to record indexes without
// storing the strings: it is an open-addressing table of record indexes, and a lookup
// compares the key with the string the record holds (keyOf). Its slots are int32, so it
// costs 5 to 11 bytes per entry where a map[string]int32 costs about 40, and the garbage
// collector never scans it. Entries are never removed.
type hashIndex struct {
	seed  maphash.Seed
	slots []int32 // record index + 1; 0 marks an empty slot
	n     int
	keyOf func(rec int32) string
}

func newHashIndex(keyOf func(rec int32) string) hashIndex {
	return hashIndex{seed: maphash.MakeSeed(), keyOf: keyOf}
}

// find returns the record whose key is key.
func (h *hashIndex) find(key string) (int32, bool) {
	if h.n == 0 {
		return 0, false
	}
	mask := uint64(len(h.slots) - 1)
	for i := maphash.String(h.seed, key) & mask; ; i = (i + 1) & mask {
		v := h.slots[i]
		if v == 0 {
			return 0, false
		}
		if h.keyOf(v-1) == key {
			return v - 1, true
		}
	}
}

// add maps key, which must be absent, to rec.
func (h *hashIndex) add(key string, rec int32) {
	if (h.n+1)*4 > len(h.slots)*3 {
		h.grow()
	}
	h.put(key, rec)
	h.n++
}

// put stores rec in the first free slot of key's probe sequence.
func (h *hashIndex) put(key string, rec int32) {
	mask := uint64(len(h.slots) - 1)
	i := maphash.String(h.seed, key) & mask
	for h.slots[i] != 0 {
		i = (i + 1) & mask
	}
	h.slots[i] = rec + 1
}

// grow doubles the table (to 16 slots at first) and places every entry again.
func (h *hashIndex) grow() {
	old := h.slots
	h.slots = make([]int32, max(16, 2*len(old)))
	for _, v := range old {
		if v != 0 {
			h.put(h.keyOf(v-1), v-1)
		}
	}
}
