-- Refreshes the tables that stand for PostgreSQL materialized views (REFRESH MATERIALIZED VIEW).
-- Run it whenever PostgreSQL would have refreshed them.

START TRANSACTION;
DELETE FROM `public`.`t_mat`;
INSERT INTO `public`.`t_mat` (`count`) SELECT COUNT(*) AS `count` FROM `public`.`t`;
COMMIT;
