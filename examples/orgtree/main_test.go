package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runArgs(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), args, &out, &out))
	return out.String()
}

// TestXiangshanFigures checks the figures the program must reproduce at scale 1.
func TestXiangshanFigures(t *testing.T) {
	var rep report
	require.NoError(t, json.Unmarshal([]byte(runArgs(t, "-format", "json")), &rep))
	d := rep.District
	assert.Equal(t, 292, d.Compounds)
	assert.Equal(t, 249, d.OwnersCommittees)
	assert.Equal(t, 249, d.RedOwnersCommittees)
	assert.Equal(t, 43, d.ManagementCommittees)
	assert.Empty(t, d.WithoutCommittee)
	assert.Equal(t, 81, d.Firms)
	assert.Equal(t, 34, d.FirmsWithBranch)
	assert.Equal(t, 47, d.FirmsWithInstructor)
	assert.Empty(t, d.FirmsWithNeither)
	assert.Equal(t, 2, rep.NewCommunities)
	assert.Positive(t, rep.Moved)
	assert.Equal(t, 200, rep.Registrations)

	sum := 0
	for _, c := range rep.Communities {
		sum += c.Compounds
	}
	assert.Equal(t, 292, sum, "every compound in exactly one community after re-districting")
}

func TestScaleMultipliesPopulation(t *testing.T) {
	var rep report
	require.NoError(t, json.Unmarshal([]byte(runArgs(t, "-format", "json", "-scale", "2")), &rep))
	assert.Equal(t, 584, rep.District.Compounds)
	assert.Equal(t, 498, rep.District.RedOwnersCommittees)
	assert.Equal(t, 162, rep.District.Firms)
	assert.Equal(t, 68, rep.District.FirmsWithBranch)
}

func TestDeterministicForSeed(t *testing.T) {
	a := runArgs(t, "-seed", "7")
	assert.Equal(t, a, runArgs(t, "-seed", "7"))
	assert.NotEqual(t, a, runArgs(t, "-seed", "8"))
}

func TestFormatsAndLanguages(t *testing.T) {
	zh := runArgs(t)
	assert.Contains(t, zh, "红色业委会 249 个 + 物业管理委员会 43 个 = 292 个，覆盖率 100.0%")
	assert.Contains(t, zh, "单独建立党支部 34 家 + 选派党建指导员 47 家 = 81 家")
	en := runArgs(t, "-lang", "en")
	assert.Contains(t, en, "red owners' committees 249 + management committees 43 = 292, coverage 100.0%")

	records, err := csv.NewReader(bytes.NewBufferString(runArgs(t, "-format", "csv", "-lang", "en"))).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(records), 2)
	assert.Equal(t, "compounds", records[0][2])
	last := records[len(records)-1]
	assert.Equal(t, []string{"xs", "292", "249"}, []string{last[0], last[2], last[3]})
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-scale", "0"}, {"-lang", "fr"}, {"-format", "xml"}, {"-nope"}} {
		var out bytes.Buffer
		assert.Error(t, run(context.Background(), args, &out, &out), "%v", args)
	}
}
