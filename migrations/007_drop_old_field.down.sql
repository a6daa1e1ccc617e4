-- Migration: drop old field
-- Created: 2026-11-24 18:00:00

ALTER TABLE users ADD COLUMN old_field TEXT;
