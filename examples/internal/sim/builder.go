package sim

import (
	"context"

	"github.com/gridgov/gridgov"
	"github.com/gridgov/gridgov/governance"
)

// Builder adds a world's nodes, organisations, people, positions and registrations to a
// registry as one actor (建库), keeping the first error so that building reads as a
// script: after a failure every call does nothing, and [Builder.Err] reports the failure.
// Programs embed it in a builder of their own with shorthand for what they add most.
type Builder struct {
	Ctx   context.Context
	Reg   *governance.Registry
	Actor gridgov.Actor
	err   error
}

// Node adds a node.
func (b *Builder) Node(in governance.NodeInput) {
	if b.err == nil {
		_, b.err = b.Reg.AddNode(b.Ctx, b.Actor, in)
	}
}

// Org adds an organisation.
func (b *Builder) Org(in governance.OrganisationInput) {
	if b.err == nil {
		_, b.err = b.Reg.AddOrganisation(b.Ctx, b.Actor, in)
	}
}

// Person adds a person.
func (b *Builder) Person(in governance.PersonInput) {
	if b.err == nil {
		_, b.err = b.Reg.AddPerson(b.Ctx, b.Actor, in)
	}
}

// Appoint gives a person a position.
func (b *Builder) Appoint(in governance.AppointInput) {
	if b.err == nil {
		_, b.err = b.Reg.Appoint(b.Ctx, b.Actor, in)
	}
}

// Register registers an in-service Party member with a community (双报到).
func (b *Builder) Register(in governance.RegistrationInput) {
	if b.err == nil {
		_, b.err = b.Reg.Register(b.Ctx, b.Actor, in)
	}
}

// Fail records err as the build's error unless an earlier one is recorded (nil is
// ignored), for the steps a program takes between additions.
func (b *Builder) Fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// Err returns the first error of the build, or nil.
func (b *Builder) Err() error { return b.err }
