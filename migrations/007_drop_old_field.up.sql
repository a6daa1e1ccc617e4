-- Migration: drop old field
-- Created: 2026-11-24 18:00:00

ALTER TABLE users DROP COLUMN old_field CONCURRENTLY;
