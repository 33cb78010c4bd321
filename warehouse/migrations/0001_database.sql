-- The database every eventhouse table lives in.
CREATE DATABASE IF NOT EXISTS {db}
