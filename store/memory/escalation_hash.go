package memory

import "hash/maphash"

// hashIndex maps strings (complaint IDs, idempotency keys) to record indexes without
// storing the strings: it is an open-addressing table of record indexes, and a lookup
// compares the key with the string the record holds (keyOf). Next to each slot it keeps
// eight bits of the key's hash, so a probe reads the record only when they match. It costs
// 5 bytes a slot (7 to 14 bytes per entry) where a map[string]int32 costs about 40, and the
// garbage collector never scans it. Entries are never removed.
type hashIndex struct {
	seed  maphash.Seed
	slots []int32 // record index + 1; 0 marks an empty slot
	tags  []uint8 // the top eight bits of the hash of the slot's key
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
	hash := maphash.String(h.seed, key)
	tag := uint8(hash >> 56)
	mask := uint64(len(h.slots) - 1)
	for i := hash & mask; ; i = (i + 1) & mask {
		v := h.slots[i]
		if v == 0 {
			return 0, false
		}
		if h.tags[i] == tag && h.keyOf(v-1) == key {
			return v - 1, true
		}
	}
}

// add maps key, which must be absent, to rec.
func (h *hashIndex) add(key string, rec int32) {
	if (h.n+1)*4 > len(h.slots)*3 {
		h.grow()
	}
	h.put(maphash.String(h.seed, key), rec)
	h.n++
}

// put stores rec in the first free slot of the probe sequence of hash.
func (h *hashIndex) put(hash uint64, rec int32) {
	mask := uint64(len(h.slots) - 1)
	i := hash & mask
	for h.slots[i] != 0 {
		i = (i + 1) & mask
	}
	h.slots[i] = rec + 1
	h.tags[i] = uint8(hash >> 56)
}

// grow doubles the table (to 16 slots at first) and places every entry again.
func (h *hashIndex) grow() {
	old := h.slots
	h.slots = make([]int32, max(16, 2*len(old)))
	h.tags = make([]uint8, len(h.slots))
	for _, v := range old {
		if v != 0 {
			h.put(maphash.String(h.seed, h.keyOf(v-1)), v-1)
		}
	}
}
