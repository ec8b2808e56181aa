-- 002-score.sql — the scores of examples/002-lianghua/scheme.kh, as
-- `kaohe score --allow-errors` computes them, written by hand in SQL for
-- the benchmark (bench/run.sh).  Tables `events` and `roster` are the CSV
-- files as `.import` loads them.  Every amount is an integer in thousandths,
-- as kaohe's kh_dec: 1.5 分 is 1500.  Prints, per roster person: name, the
-- five sections, the bonus, the total, the rank (ties share the better one).
--
-- The scheme, item by item (the IR of `kaohe ir`, with the clauses that
-- have errors scoring nothing):
--   一 (基本分15, floor 0): 无故不参加学习 −1 each; 学习笔记字数 < 10000 → −2;
--      学习心得篇数: −1 per whole 1 short of 2; 网络学习未完成 −2 each;
--      学习强国被通报 −1 each.
--   二 (30): 未按要求制定执法计划 −3; 证据不充足程序不到位 −3; 案件被法院撤销 −5;
--      未按时上报材料 −2; 督办后仍未完成 −5.
--   三 (15): 不服从疫情防控安排 −3; 重点活动未参加 −1; 不服从集体活动安排 −3;
--      驻村工作被通报 −5.
--   四 (20): 无故脱岗 > 1 (hours, summed) → −1; 旷工 −2; 值班缺岗 −1;
--      带班领导值班失误 −2; 值班组员值班失误 −1; 擅自缺岗 −1; 工作日饮酒 −2;
--      酗酒闹事打架斗殴 −5; 违反纪律被通报约谈曝光 −5.   (each × 数量)
--   五: the means of 述职, 分管领导评分, 班子综合评议 (half up to 0.001).
--   六 (bonus, capped at 10): 获得科室表彰 and 获得个人表彰 国家级 10 省级 8 市级 5,
--      稿件被采用 省级 3 市级 2 区级 1; events sharing a 编号 count once, at
--      their best level.
.headers off
.mode list
.separator ,

WITH
ev AS (
  SELECT e.人员 AS p, e.事项 AS item, e.级别 AS lv, e.编号 AS k,
         CASE WHEN e.数量 = '' THEN 1000 ELSE CAST(ROUND(CAST(e.数量 AS REAL) * 1000) AS INTEGER) END AS v
  FROM events e JOIN roster r ON r.人员 = e.人员
),
agg AS (
  SELECT p, item, SUM(v) AS s, COUNT(*) AS n FROM ev GROUP BY p, item
),
piv AS (
  SELECT p,
    SUM(CASE WHEN item = '无故不参加学习' THEN s END) AS s1,
    SUM(CASE WHEN item = '学习笔记字数' THEN s END) AS s2,
    SUM(CASE WHEN item = '学习心得篇数' THEN s END) AS s3,
    SUM(CASE WHEN item = '网络学习未完成' THEN s END) AS s4,
    SUM(CASE WHEN item = '学习强国被通报' THEN s END) AS s5,
    SUM(CASE WHEN item = '未按要求制定执法计划' THEN s END) AS s6,
    SUM(CASE WHEN item = '证据不充足程序不到位' THEN s END) AS s7,
    SUM(CASE WHEN item = '案件被法院撤销' THEN s END) AS s8,
    SUM(CASE WHEN item = '未按时上报材料' THEN s END) AS s9,
    SUM(CASE WHEN item = '督办后仍未完成' THEN s END) AS s10,
    SUM(CASE WHEN item = '不服从疫情防控安排' THEN s END) AS s11,
    SUM(CASE WHEN item = '重点活动未参加' THEN s END) AS s12,
    SUM(CASE WHEN item = '不服从集体活动安排' THEN s END) AS s13,
    SUM(CASE WHEN item = '驻村工作被通报' THEN s END) AS s14,
    SUM(CASE WHEN item = '无故脱岗' THEN s END) AS s17,
    SUM(CASE WHEN item = '旷工' THEN s END) AS s18,
    SUM(CASE WHEN item = '值班缺岗' THEN s END) AS s19,
    SUM(CASE WHEN item = '带班领导值班失误' THEN s END) AS s20,
    SUM(CASE WHEN item = '值班组员值班失误' THEN s END) AS s21,
    SUM(CASE WHEN item = '擅自缺岗' THEN s END) AS s22,
    SUM(CASE WHEN item = '工作日饮酒' THEN s END) AS s23,
    SUM(CASE WHEN item = '酗酒闹事打架斗殴' THEN s END) AS s24,
    SUM(CASE WHEN item = '违反纪律被通报约谈曝光' THEN s END) AS s25,
    SUM(CASE WHEN item = '述职' THEN (2 * s + n) / (2 * n) END) AS m26,
    SUM(CASE WHEN item = '分管领导评分' THEN (2 * s + n) / (2 * n) END) AS m27,
    SUM(CASE WHEN item = '班子综合评议' THEN (2 * s + n) / (2 * n) END) AS m28
  FROM agg GROUP BY p
),
tier AS (
  SELECT p, item, k, v * CASE
      WHEN item IN ('获得科室表彰', '获得个人表彰') THEN
        CASE lv WHEN '国家级' THEN 10 WHEN '省级' THEN 8 WHEN '市级' THEN 5 ELSE 0 END
      ELSE CASE lv WHEN '省级' THEN 3 WHEN '市级' THEN 2 WHEN '区级' THEN 1 ELSE 0 END
    END AS amt
  FROM ev WHERE item IN ('获得科室表彰', '获得个人表彰', '稿件被采用')
),
keyed AS (
  SELECT p, MAX(amt) AS amt FROM tier WHERE k <> '' GROUP BY p, item, k
  UNION ALL
  SELECT p, amt FROM tier WHERE k = ''
),
bonus AS (
  SELECT p, SUM(amt) AS b FROM keyed GROUP BY p
),
sec AS (
  SELECT r.人员 AS p, r.ROWID AS rowno,
    MAX(15000 - COALESCE(s1, 0)
        - CASE WHEN COALESCE(s2, 0) < 10000000 THEN 2000 ELSE 0 END
        - CASE WHEN 2000 - COALESCE(s3, 0) > 0 THEN ((2000 - COALESCE(s3, 0)) / 1000) * 1000 ELSE 0 END
        - 2 * COALESCE(s4, 0) - COALESCE(s5, 0), 0) AS c1,
    MAX(30000 - 3 * COALESCE(s6, 0) - 3 * COALESCE(s7, 0) - 5 * COALESCE(s8, 0)
        - 2 * COALESCE(s9, 0) - 5 * COALESCE(s10, 0), 0) AS c2,
    MAX(15000 - 3 * COALESCE(s11, 0) - COALESCE(s12, 0) - 3 * COALESCE(s13, 0) - 5 * COALESCE(s14, 0), 0) AS c3,
    MAX(20000 - CASE WHEN COALESCE(s17, 0) > 1000 THEN 1000 ELSE 0 END
        - 2 * COALESCE(s18, 0) - COALESCE(s19, 0) - 2 * COALESCE(s20, 0) - COALESCE(s21, 0)
        - COALESCE(s22, 0) - 2 * COALESCE(s23, 0) - 5 * COALESCE(s24, 0) - 5 * COALESCE(s25, 0), 0) AS c4,
    COALESCE(m26, 0) + COALESCE(m27, 0) + COALESCE(m28, 0) AS c5,
    MIN(COALESCE(b, 0), 10000) AS c6
  FROM roster r LEFT JOIN piv ON piv.p = r.人员 LEFT JOIN bonus ON bonus.p = r.人员
)
SELECT p, c1, c2, c3, c4, c5, c6, c1 + c2 + c3 + c4 + c5 + c6 AS total,
       RANK() OVER (ORDER BY c1 + c2 + c3 + c4 + c5 + c6 DESC) AS rnk
FROM sec ORDER BY rnk, rowno;
