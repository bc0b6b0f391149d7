# make-fixture.R
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the reference indicator values that tests/test-indicators.c checks
# against: TTR's bundled daily OHLC series `ttrc` and, computed by TTR,
# EMA(close, 10), EMA(close, 20), SMA(close, 20) and ATR(HLC, 14) (Wilder).
#
# Run from this directory:  Rscript make-fixture.R
# Needs: r-base-core r-cran-ttr (Debian). The test itself never needs R.

suppressPackageStartupMessages(library(TTR))

data(ttrc)
hlc <- as.matrix(ttrc[, c("High", "Low", "Close")])

ema10 <- EMA(ttrc$Close, n = 10)
ema20 <- EMA(ttrc$Close, n = 20)
sma20 <- SMA(ttrc$Close, n = 20)
atr14 <- ATR(hlc, n = 14)

fmt <- function(x) ifelse(is.na(x), "NA", trimws(formatC(x, digits = 17, format = "g")))

out <- data.frame(
  date  = format(ttrc$Date, "%Y-%m-%d"),
  high  = fmt(ttrc$High),
  low   = fmt(ttrc$Low),
  close = fmt(ttrc$Close),
  ema10 = fmt(ema10),
  ema20 = fmt(ema20),
  sma20 = fmt(sma20),
  tr14  = fmt(atr14[, "tr"]),
  atr14 = fmt(atr14[, "atr"]),
  stringsAsFactors = FALSE
)

con <- file("ttrc-indicators.csv", "w")
writeLines(sprintf("# TTR %s, R %s: ttrc daily OHLC and TTR indicators",
                   packageVersion("TTR"), getRversion()), con)
write.csv(out, con, row.names = FALSE, quote = FALSE)
close(con)
