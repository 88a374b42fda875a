--liquibase formatted sql

--changeset jobmon:0013-schema-fingerprint
-- The fingerprint (SHA-256 of the changelog's files) of the changelog Liquibase last found fully
-- applied here. A process whose changelog has the same fingerprint knows the schema is current
-- without starting Liquibase (which costs a status command a noticeable part of a second).
CREATE TABLE schema_fingerprint (
  id INT NOT NULL,
  changelog_sha256 CHAR(64) NOT NULL,
  recorded_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_schema_fingerprint PRIMARY KEY (id)
);
