package gridgov

import "errors"

// The sentinel errors of the library. Every error a gridgov package returns wraps exactly one
// of them (a [*ValidationError] matches its Kind), so callers branch with [errors.Is] and never
// compare error strings. Each message carries the English and the Chinese wording.
var (
	// ErrNotFound: the entity does not exist (未找到).
	ErrNotFound = errors.New("gridgov: not found (未找到)")
	// ErrConflict: the entity changed since it was read; its version is stale (版本冲突).
	ErrConflict = errors.New("gridgov: version conflict (版本冲突，数据已被他人修改)")
	// ErrAlreadyExists: an entity with the same identifier already exists (已存在).
	ErrAlreadyExists = errors.New("gridgov: already exists (已存在)")
	// ErrInvalid: the input is malformed or breaks a rule (输入无效).
	ErrInvalid = errors.New("gridgov: invalid input (输入无效)")
	// ErrForbidden: the actor holds no position that grants the permission (无权限).
	ErrForbidden = errors.New("gridgov: forbidden (无权限)")
	// ErrInvalidTransition: the command is not allowed in the entity's current state (状态不允许此操作).
	ErrInvalidTransition = errors.New("gridgov: invalid state transition (状态不允许此操作)")
	// ErrBudgetExceeded: the amount does not fit in the budget (超出预算).
	ErrBudgetExceeded = errors.New("gridgov: budget exceeded (超出预算)")
)
