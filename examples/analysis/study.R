# The study's analyses from a JourneyStore dump, as an analyst would run them in R.
#
#   Rscript examples/analysis/study.R DUMP_DIR            (a dump with --format all)
#
# Loads the dump three ways - the SPSS files through haven (value labels become factors), the
# CSVs through readr with the types datapackage.json declares, the SQLite file through RSQLite -
# checks that they hold the same data, computes the study's results, and then two analyses the
# study could not do by hand: a mixed model of the expectation-experience gap by chain
# (lme4::lmer(delta ~ chain + (1 | participant))) and the referral network's betweenness
# (igraph). Prints the figures as JSON (the keys of stats.json where both report the same thing).
suppressPackageStartupMessages({
  library(jsonlite); library(readr); library(haven); library(DBI); library(RSQLite); library(lme4); library(igraph)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[[1]] else "dump"
package <- fromJSON(file.path(dir, "datapackage.json"), simplifyVector = FALSE)

# The CSVs, typed as the data package says.
csv <- function(name) {
  resource <- Filter(function(r) r$name == name, package$resources)[[1]]
  types <- list(string = col_character(), integer = col_integer(), number = col_double(), boolean = col_logical(), date = col_date())
  spec <- do.call(cols, setNames(lapply(resource$schema$fields, function(f) types[[f$type]]),
                                 vapply(resource$schema$fields, function(f) f$name, "")))
  read_csv(file.path(dir, resource$path), col_types = spec, na = "", progress = FALSE)
}
participants <- csv("participants"); institutions <- csv("institutions"); pairs <- csv("pairs")
items <- csv("pair_items"); kinds <- csv("participant_kinds"); professionals <- csv("professionals")
referrals <- csv("referrals"); network <- csv("referral_network")

# The same data through SPSS (labels as factors) and SQLite.
sav <- read_sav(file.path(dir, "participants.sav"))
db <- dbConnect(SQLite(), file.path(dir, "journey.sqlite"))
sqlite_participants <- dbReadTable(db, "participants")
sqlite_institutions <- dbReadTable(db, "institutions")
dbDisconnect(db)
stopifnot(identical(as.integer(sav$institutions_mentioned), participants$institutions_mentioned),
          identical(as.character(sav$participant), participants$participant),
          identical(as.integer(sqlite_participants$institutions_mentioned), participants$institutions_mentioned),
          identical(sqlite_institutions$institution, institutions$institution))
sav_institutions <- read_sav(file.path(dir, "institutions.sav"))
chain_factor <- as_factor(sav_institutions$chain)  # value labels as a factor
stopifnot(length(chain_factor) == nrow(institutions))

# Institutions per participant (range, mean, median, at least 10).
n <- participants$institutions_mentioned
half_away <- function(x) sign(x) * floor(abs(x) * 100 + 0.5) / 100
per_participant <- list(min = min(n), max = max(n), mean = half_away(mean(n)), median = median(n), atLeast10 = sum(n >= 10))

# By chain, level class and kind: over the institutions someone mentioned.
mentioned <- institutions[institutions$participants_mentioning > 0, ]
count_by <- function(values, levels) as.list(setNames(vapply(levels, function(l) sum(values == l, na.rm = TRUE), 0L), levels))
by_chain <- count_by(mentioned$chain, c("legal", "help", "both", "uncoded"))
by_level <- count_by(mentioned$level_class, c("national", "regional", "mixed", "uncoded"))
participants_by_kind <- tapply(kinds$participant, kinds$kind, function(p) length(unique(p)))

# Professional groups per chain (the study's Table 2), referral problems.
professionals_by_chain <- aggregate(cbind(participants, contacts, unnamed_contacts) ~ chain, data = professionals, FUN = sum)
problems <- list(referrals = nrow(referrals), refused = sum(referrals$refused), deadEnds = sum(referrals$dead_end),
                 inCycle = sum(referrals$in_cycle))

# Expected vs experienced by chain: each pair item with the chain of its pair's institution.
gap <- merge(items, pairs[pairs$status == "paired", c("participant", "institution", "expectation_id", "experience_id")],
             by = c("expectation_id", "experience_id"))
gap <- merge(gap, institutions[, c("institution", "chain")], by = "institution")
delta_by_chain <- lapply(setNames(c("legal", "help", "both", "uncoded"), c("legal", "help", "both", "uncoded")), function(ch) {
  d <- gap$delta[gap$chain == ch]
  list(items = length(d), mean = if (length(d) == 0) NULL else half_away(mean(d)))
})

# A mixed model of the gap: chain as a fixed effect, a random intercept per participant.
model <- NULL
modelled <- gap[gap$chain %in% c("legal", "help", "both"), ]
if (nrow(modelled) > 0 && length(unique(modelled$chain)) > 1 && length(unique(modelled$participant)) > 1) {
  modelled$chain <- relevel(factor(modelled$chain), ref = "help")
  fit <- suppressMessages(lmer(delta ~ chain + (1 | participant), data = modelled))
  model <- as.list(fixef(fit))
}

# The referral network's betweenness (institutions only: self and network are not organisations).
edges <- network[!(network$from %in% c("self", "network")), ]
graph <- graph_from_data_frame(edges[, c("from", "to")], directed = TRUE)
E(graph)$weight <- 1 / edges$referrals
betweenness_top <- head(sort(betweenness(graph, weights = E(graph)$weight), decreasing = TRUE), 5)

cat(toJSON(list(
  participants = nrow(participants), institutions = nrow(mentioned), perParticipant = per_participant,
  byChain = by_chain, byLevelClass = by_level, participantsByKind = as.list(participants_by_kind),
  professionalsByChain = professionals_by_chain, referralProblems = problems, pairDeltaByChain = delta_by_chain,
  gapModel = model, betweenness = as.list(betweenness_top)
), auto_unbox = TRUE, null = "null", digits = NA), "\n")
