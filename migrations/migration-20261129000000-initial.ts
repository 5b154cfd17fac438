import { Migration } from '@mikro-orm/migrations';

/** Users, API keys and the audit log, with the indexes the lookups and lists use. */
export class Migration20261129000000Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "users" (
      "id" uuid not null, "username" varchar(64) not null, "email" varchar(254) not null,
      "active" boolean not null default true, "created_at" timestamptz not null,
      "updated_at" timestamptz not null, "deleted_at" timestamptz null,
      constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_username_unique" unique ("username");`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_deleted_at_index" on "users" ("deleted_at");`);
    this.addSql(`create index "users_active_created_at_index" on "users" ("active", "created_at");`);
    this.addSql(`create index "users_created_at_id_index" on "users" ("created_at", "id");`);

    this.addSql(`create table "api_keys" (
      "id" uuid not null, "user_id" uuid not null, "name" varchar(100) not null,
      "key_hash" varchar(64) not null, "scopes" text[] not null default '{}',
      "created_at" timestamptz not null, "last_used_at" timestamptz null,
      "expires_at" timestamptz null, "revoked_at" timestamptz null,
      constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`create index "api_keys_user_id_index" on "api_keys" ("user_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_user_id_foreign" foreign key ("user_id")
      references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "audit_logs" (
      "id" uuid not null, "action" varchar(32) not null, "entity_name" varchar(64) not null,
      "entity_id" uuid not null, "actor" varchar(128) null, "payload" jsonb null,
      "created_at" timestamptz not null, constraint "audit_logs_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_logs_entity_index" on "audit_logs" ("entity_name", "entity_id", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "api_keys" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "audit_logs" cascade;`);
  }
}
