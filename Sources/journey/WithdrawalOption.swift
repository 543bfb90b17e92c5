import ArgumentParser

/// `--exclude-withdrawn`, the same for every cohort command (contract 4.4).
struct WithdrawalOption: ParsableArguments {
    @Flag(help: "Leave out participants whose latest exit reason is withdrew: every event of theirs, before projecting.")
    var excludeWithdrawn = false
}
