# bench-ttr.R
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Throughput of TTR's ATR(HLC, 14) (Wilder) on this machine, the
# comparison point for tests/bench-bars.c (core.atr_bars_per_s).
# Run: Rscript bench-ttr.R [n_bars]   (needs r-base-core r-cran-ttr)

suppressPackageStartupMessages(library(TTR))

args <- commandArgs(trailingOnly = TRUE)
n <- if (length(args) >= 1) as.integer(args[1]) else 10000000L

set.seed(1)
close <- 24000 + cumsum(sample(c(-1, 0, 1), n, replace = TRUE))
high <- close + sample(0:3, n, replace = TRUE)
low <- close - sample(0:3, n, replace = TRUE)
hlc <- cbind(High = high, Low = low, Close = close)

best <- Inf
for (round in 1:3) {
  t <- system.time(a <- ATR(hlc, n = 14))[["elapsed"]]
  best <- min(best, t)
}
cat(sprintf("# TTR %s, R %s, %d bars, best of 3: %.3f s\n",
            packageVersion("TTR"), getRversion(), n, best))
cat(sprintf("bench: ttr.atr_bars_per_s %.0f bars/s\n", n / best))

best <- Inf
for (round in 1:3) {
  t <- system.time(e <- EMA(close, n = 14, wilder = TRUE))[["elapsed"]]
  best <- min(best, t)
}
cat(sprintf("bench: ttr.wilder_ema_values_per_s %.0f values/s\n", n / best))
