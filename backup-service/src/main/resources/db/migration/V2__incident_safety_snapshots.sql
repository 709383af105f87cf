-- a safety snapshot taken because an incident opened: one per incident, whichever replica reads the event first
ALTER TABLE backups ADD COLUMN incident_id TEXT;
ALTER TABLE backups ADD CONSTRAINT backups_one_per_incident UNIQUE (cluster_id, incident_id);
