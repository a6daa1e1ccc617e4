-- Migration: create user indexes
-- Created: 2026-11-24 18:00:00

DROP INDEX CONCURRENTLY idx_users_username;
DROP INDEX CONCURRENTLY idx_users_email;
