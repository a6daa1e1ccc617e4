-- Migration: create user indexes
-- Created: 2026-11-24 18:00:00

CREATE INDEX CONCURRENTLY idx_users_email ON users(email);
CREATE UNIQUE INDEX CONCURRENTLY idx_users_username ON users(username);
