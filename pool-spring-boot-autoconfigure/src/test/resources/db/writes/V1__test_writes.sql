CREATE TABLE test_writes (id bigint PRIMARY KEY, port int NOT NULL);
