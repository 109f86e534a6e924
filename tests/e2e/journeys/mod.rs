//! Journeys across several resources, as a user would go through them.

mod recognition;
