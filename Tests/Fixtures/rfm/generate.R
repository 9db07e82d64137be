# Regenerates expected_cran_rfm.csv: CRAN rfm 0.3.0's own rfm_table_order() and rfm_segment() on transactions.csv.
#
#   Rscript Tests/Fixtures/rfm/generate.R <rfm source folder>
#
# <rfm source folder> is the package source of rfm 0.3.0 (the unpacked CRAN tarball rfm_0.3.0.tar.gz, or the
# package's git repository at that version): this script sources its R/rfm-table-transaction.R, R/utils.R and
# R/rfm-segment.R, so it needs only dplyr, magrittr and rlang (Debian: r-base-core r-cran-dplyr r-cran-magrittr
# r-cran-rlang), not the plotting packages the full package imports. dplyr older than 1.1 lacks join_by(), which
# rfm 0.3.0 uses for one join by customer_id; the shim below stands in for it.
#
# analysis_date is 2025-01-01: the package has no default; the Segwork test passes the same date as as_of:.
suppressPackageStartupMessages({ library(dplyr); library(magrittr); library(rlang) })
args <- commandArgs(trailingOnly = TRUE)
src <- if (length(args) > 0) args[1] else stop("usage: Rscript generate.R <rfm 0.3.0 source folder>")
desc <- read.dcf(file.path(src, "DESCRIPTION"))
stopifnot(desc[1, "Package"] == "rfm", desc[1, "Version"] == "0.3.0")
if (!exists("join_by", envir = asNamespace("dplyr"))) join_by <- function(x) deparse(substitute(x))
for (f in c("rfm-table-transaction.R", "utils.R", "rfm-segment.R")) source(file.path(src, "R", f))

here <- dirname(normalizePath(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))
tx <- read.csv(file.path(here, "transactions.csv"), colClasses = c("character", "character", "character", "numeric"))
tx$date <- as.Date(tx$date)
data <- tx[, c("customer_id", "date", "amount")]
result <- rfm_table_order(data, customer_id, date, amount, analysis_date = as.Date("2025-01-01"))

# The segments of the package's documented example (?rfm_segment), first match wins, else "Others".
segment_names <- c("Champions", "Potential Loyalist", "Loyal Customers", "Promising", "New Customers",
                   "Can't Lose Them", "At Risk", "Need Attention", "About To Sleep", "Lost")
recency_lower <-   c(5, 3, 2, 3, 4, 1, 1, 1, 2, 1)
recency_upper <-   c(5, 5, 4, 4, 5, 2, 2, 3, 3, 1)
frequency_lower <- c(5, 3, 2, 1, 1, 3, 2, 3, 1, 1)
frequency_upper <- c(5, 5, 4, 3, 3, 4, 5, 5, 3, 5)
monetary_lower <-  c(5, 2, 2, 3, 1, 4, 4, 3, 1, 1)
monetary_upper <-  c(5, 5, 4, 5, 5, 5, 5, 5, 4, 5)
seg <- rfm_segment(result, segment_names, recency_lower, recency_upper, frequency_lower, frequency_upper,
                   monetary_lower, monetary_upper)

out <- data.frame(customer_id = seg$customer_id, recency = seg$recency_days, frequency = seg$transaction_count,
                  monetary = seg$amount, r_score = seg$recency_score, f_score = seg$frequency_score,
                  m_score = seg$monetary_score, rfm_score = seg$rfm_score, segment = seg$segment)
out <- out[order(out$customer_id), ]
write.csv(out, file.path(here, "expected_cran_rfm.csv"), row.names = FALSE, quote = FALSE)
cat("expected_cran_rfm.csv:", nrow(out), "customers; R", R.version$major, R.version$minor,
    "dplyr", as.character(packageVersion("dplyr")), "\n")
print(result$threshold)
