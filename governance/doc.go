// Package governance is the organisation tree of grid governance (网格化治理): street offices,
// communities, compounds, grids and buildings; the organisations at each node; the people who
// hold positions in them; coverage reports; and authority checks.
//
// # Levels
//
// A [Scheme] is the ordered list of levels the tree uses (层级方案). Three presets follow the
// local practices: [FiveLevelChain] (Duyun: street Party working committee → community Party
// committee → compound Party branch → grid Party group → Party-member household liaison),
// [FourLevelLadder] (street → community → grid → building, along which disputes rise) and
// [ThreeLevelXiangshan] (community Party organisation → compound/grid Party branch → building
// Party group). Users may define their own.
//
// # Nodes
//
// A [Node] sits at one level, under a parent one level up (or any level up when the scheme
// allows skipping). The [Registry] adds, renames, moves (re-districting, 区划调整) and
// retires nodes; it refuses cycles and level violations and keeps every change in an
// append-only history (沿革), so retired nodes and old names stay resolvable. Ancestor
// queries cost O(depth) and subtree listings O(size of the subtree).
//
// # Organisations, people and positions
//
// An [Organisation] is attached to a node and typed by [OrgKind]: Party working committee,
// committee, branch and group; residents' committee; owners' committee (业主委员会), which is
// "red" (红色业委会) when its chair is a Party member; property management committee
// (物业管理委员会), acting in place of an owners' committee; property firm, with its own Party
// branch or an appointed Party-building instructor (党建指导员); service centre and station;
// resident unit; volunteer team. A [Person] has a Party-member category ([PartyCategory]) and
// holds [Position]s; the same person may hold several across organisations
// (双向进入、交叉任职; "one shoulder", 一肩挑). In-service members and units register in the
// community where they live or sit (双报到), claim its service projects and record the
// hours they serve.
//
// # Coverage and authority
//
// [Registry.Coverage] reports, for any subtree, which compounds have an owners' committee, a
// management committee or neither (by name), which firms have a Party branch, an instructor
// or neither, the compounds with a Party branch, the cross-appointment rate and the
// one-shoulder count. [Registry.Authorize] grants a [Permission] when the actor holds an
// active position whose role carries it ([Grants]) at the node or any ancestor, and returns
// gridgov.ErrForbidden otherwise.
//
// # Storage
//
// The registry keeps its data behind the [Store] interface, whose doc comments are the
// contract for adapter authors. store/memory is the embedded reference; store/storetest is
// the conformance suite that checks any adapter with one call.
package governance
