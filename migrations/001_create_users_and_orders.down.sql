-- Migration: create users and orders
-- Created: 2026-11-24 18:00:00
-- migrate:allow-dangerous (reverting the first migration drops its tables on purpose)

DROP TABLE orders;
DROP TABLE users;
