// Package gridgov is the shared vocabulary of the gridgov library for grid governance
// (网格化治理): the sentinel errors every package wraps, the bilingual validation error, the
// injected [Clock], the [Actor] who issues a command, identifier generation and the types that
// keep personal data (个人信息) masked wherever it is printed.
//
// The domain lives in sub-packages:
//
//   - governance: the organisation tree of street offices, communities, compounds, grids and
//     buildings; organisations, people, positions, coverage and authority.
//   - store/memory: the embedded, race-safe reference store.
//   - store/storetest: the conformance suite every store adapter runs with one call.
//
// # Errors
//
// Every error the library returns wraps one of the sentinels ([ErrNotFound], [ErrConflict],
// [ErrAlreadyExists], [ErrInvalid], [ErrForbidden], [ErrInvalidTransition],
// [ErrBudgetExceeded]); branch on them with [errors.Is]. Bad input is reported as a
// [*ValidationError] that lists every failing field with an English and a Chinese message;
// retrieve it with [errors.As].
//
// # Time and identity
//
// Nothing in the library calls time.Now directly: services take a [Clock] ([SystemClock] by
// default, [FakeClock] in tests and simulations). Entities the library creates get sortable,
// unique identifiers from an [IDGenerator]; callers may always supply their own.
package gridgov
