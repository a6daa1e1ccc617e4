-- Migration: rename user name to display name
-- Created: 2026-11-24 18:00:00

ALTER TABLE users RENAME COLUMN display_name TO name;
