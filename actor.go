package gridgov

import "fmt"

// ActorKind says what kind of caller issues a command.
type ActorKind int

const (
	// ActorPerson is a person known to the organisation tree; authority comes from the
	// positions the person holds (职务).
	ActorPerson ActorKind = iota
	// ActorSystem is trusted code (an importer, a scheduler, a sweeper). A system actor
	// passes every authority check: construct one only in code you trust.
	ActorSystem
)

// String returns "person" or "system".
func (k ActorKind) String() string {
	switch k {
	case ActorPerson:
		return "person"
	case ActorSystem:
		return "system"
	}
	return fmt.Sprintf("ActorKind(%d)", int(k))
}

// Actor is whoever issues a command (操作人). For a person, ID is the person's identifier in
// the governance registry; authority is looked up from that person's positions.
type Actor struct {
	ID   string
	Kind ActorKind
}

// PersonActor returns the actor for the person with the given identifier.
func PersonActor(personID string) Actor { return Actor{ID: personID, Kind: ActorPerson} }

// SystemActor returns a trusted system actor named name (for example "importer" or
// "sweeper"); it passes every authority check.
func SystemActor(name string) Actor { return Actor{ID: name, Kind: ActorSystem} }

// IsSystem reports whether a is a trusted system actor.
func (a Actor) IsSystem() bool { return a.Kind == ActorSystem }

// String renders the actor for logs, for example "person:p-17" or "system:importer".
func (a Actor) String() string { return a.Kind.String() + ":" + a.ID }
