-- Refreshes the tables that stand for PostgreSQL materialized views (REFRESH MATERIALIZED VIEW).
-- Run it whenever PostgreSQL would have refreshed them.

START TRANSACTION;
DELETE FROM `public`.`dept_totals`;
INSERT INTO `public`.`dept_totals` (`dept`, `total`) SELECT `d`.`name` AS `name`, SUM(`e`.`salary`) AS `sum` FROM `public`.`dept` AS `d` JOIN `public`.`emp` AS `e` ON (`e`.`dept_id` = `d`.`id`) GROUP BY `d`.`name`;
COMMIT;
