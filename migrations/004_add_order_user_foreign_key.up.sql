-- Migration: add order user foreign key
-- Created: 2026-11-24 18:00:00

ALTER TABLE orders ADD CONSTRAINT fk_user_id
  FOREIGN KEY (user_id) REFERENCES users(id);
