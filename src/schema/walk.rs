//! Walks over a content model's particles.

use crate::schema::model::{ElementDecl, Particle};

/// Calls `f` on every element of `content`, inside choices and nested sequences too.
pub fn each_element(content: &[Particle], f: &mut dyn FnMut(&ElementDecl)) {
    for particle in content {
        match particle {
            Particle::Element(e) => f(e),
            Particle::Choice(g) | Particle::Sequence(g) => each_element(&g.items, f),
        }
    }
}

/// Calls `f` on every element of `content`, mutably.
pub fn each_element_mut(content: &mut [Particle], f: &mut dyn FnMut(&mut ElementDecl)) {
    for particle in content {
        match particle {
            Particle::Element(e) => f(e),
            Particle::Choice(g) | Particle::Sequence(g) => each_element_mut(&mut g.items, f),
        }
    }
}

/// Whether `content` declares an element named `name` anywhere.
pub fn has_element(content: &[Particle], name: &str) -> bool {
    content.iter().any(|p| match p {
        Particle::Element(e) => e.name == name,
        Particle::Choice(g) | Particle::Sequence(g) => has_element(&g.items, name),
    })
}
