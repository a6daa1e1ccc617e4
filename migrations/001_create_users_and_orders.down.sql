-- Migration: create users and orders
-- Created: 2026-11-24 18:00:00

DROP TABLE orders;
DROP TABLE users;
