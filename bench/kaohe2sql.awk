# kaohe2sql.awk — kaohe's `--format csv` report of the 002 scheme as the
# rows bench/002-score.sql prints: person, the five sections, the bonus,
# the total in thousandths, and the rank.  Part of `make bench`.
function milli(x,    neg, ip, fp) {
    neg = substr(x, 1, 1) == "-"
    if (neg) x = substr(x, 2)
    ip = x; fp = ""
    if (index(x, ".")) { ip = substr(x, 1, index(x, ".") - 1); fp = substr(x, index(x, ".") + 1) }
    fp = substr(fp "000", 1, 3)
    return (neg ? "-" : "") ((ip * 1000) + fp)
}
BEGIN { FS = "," }
NR == 1 { next }
{ printf "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", $1, milli($3), milli($4), milli($5), milli($6), milli($7), milli($8), milli($9), $10 }
