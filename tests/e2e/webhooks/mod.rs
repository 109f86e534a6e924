mod create;
mod deliver;
mod deliveries;
mod events;
mod manage;
