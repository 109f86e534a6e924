//! The region dashboard: what waits on the region's ambassadors.

mod get;
