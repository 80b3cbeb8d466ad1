-- vCenter connections: a reference to credentials, never the secret itself.
CREATE TABLE vcenter (
  id VARCHAR(64) PRIMARY KEY,
  url VARCHAR(1024) NOT NULL,
  thumbprint VARCHAR(128),
  trust_store VARCHAR(1024),
  insecure BOOLEAN NOT NULL,
  credentials_ref VARCHAR(1024) NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

-- Cluster, datastore and network maps are small and always read whole, so they are JSON text.
CREATE TABLE infra_mapping (
  id VARCHAR(64) PRIMARY KEY,
  name VARCHAR(255) NOT NULL UNIQUE,
  source_vcenter VARCHAR(64) NOT NULL REFERENCES vcenter(id),
  destination_vcenter VARCHAR(64) NOT NULL REFERENCES vcenter(id),
  clusters_json TEXT NOT NULL,
  datastores_json TEXT NOT NULL,
  networks_json TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

CREATE TABLE plan (
  id VARCHAR(64) PRIMARY KEY,
  name VARCHAR(255) NOT NULL UNIQUE,
  mapping_id VARCHAR(64) NOT NULL REFERENCES infra_mapping(id),
  approval_policy VARCHAR(16) NOT NULL,
  options_json TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

-- The plan's VMs as the user named them, plus what the source vCenter resolved them to.
CREATE TABLE plan_vm (
  id VARCHAR(64) PRIMARY KEY,
  plan_id VARCHAR(64) NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  vm_id VARCHAR(64) NOT NULL,
  instance_uuid VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  UNIQUE (plan_id, instance_uuid)
);
CREATE INDEX plan_vm_plan ON plan_vm(plan_id, position);

CREATE TABLE migration_request (
  id VARCHAR(64) PRIMARY KEY,
  plan_id VARCHAR(64) NOT NULL REFERENCES plan(id),
  plan_name VARCHAR(255) NOT NULL,
  source_vcenter VARCHAR(64) NOT NULL,
  approval_state VARCHAR(16) NOT NULL,
  request_state VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  message VARCHAR(4000),
  approved_vms INTEGER NOT NULL,
  workflow_id VARCHAR(255),
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX migration_request_plan ON migration_request(plan_id, created_at);

-- The ledger: one row per VM of a request; approved rows in ledger order feed the workflow.
CREATE TABLE request_vm (
  id VARCHAR(64) PRIMARY KEY,
  request_id VARCHAR(64) NOT NULL REFERENCES migration_request(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  approved_position INTEGER,
  vm_id VARCHAR(64) NOT NULL,
  instance_uuid VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  state VARCHAR(16) NOT NULL,
  proposal VARCHAR(16) NOT NULL,
  reason VARCHAR(4000),
  migration_id VARCHAR(255),
  message VARCHAR(4000),
  vm_migrate_percent INTEGER NOT NULL,
  disk_migrate_percent INTEGER NOT NULL,
  disk_bytes BIGINT NOT NULL,
  memory_bytes BIGINT NOT NULL,
  powered_on BOOLEAN NOT NULL,
  source_host VARCHAR(64),
  source_datastores VARCHAR(4000) NOT NULL,
  destination_datastores VARCHAR(4000) NOT NULL,
  storage_change BOOLEAN NOT NULL,
  vmotion_link_mbps BIGINT NOT NULL,
  delivered_at TIMESTAMP,
  updated_at TIMESTAMP NOT NULL,
  UNIQUE (request_id, vm_id)
);
CREATE INDEX request_vm_order ON request_vm(request_id, approved_position);
CREATE INDEX request_vm_uuid ON request_vm(instance_uuid, state);
