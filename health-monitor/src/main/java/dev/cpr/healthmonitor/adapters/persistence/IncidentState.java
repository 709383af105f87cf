package dev.cpr.healthmonitor.adapters.persistence;

public enum IncidentState { OPEN, RESOLVED }
