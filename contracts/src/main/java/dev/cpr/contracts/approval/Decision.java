package dev.cpr.contracts.approval;

public enum Decision {
    APPROVED, REJECTED
}
