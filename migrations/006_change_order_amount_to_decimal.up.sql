-- Migration: change order amount to decimal
-- Created: 2026-11-24 18:00:00

ALTER TABLE orders
  ALTER COLUMN amount TYPE DECIMAL(10,2)
  USING amount::DECIMAL
  CONCURRENTLY;
