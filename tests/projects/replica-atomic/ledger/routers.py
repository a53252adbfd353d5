class PrimaryReplicaRouter:
    """Reads go to the replica, writes (and SELECT ... FOR UPDATE) to the primary."""

    def db_for_read(self, model, **hints):
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary; only the primary is migrated.
        return db == "default"
