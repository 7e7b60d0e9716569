//! Loki
