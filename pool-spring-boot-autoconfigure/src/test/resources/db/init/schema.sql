CREATE TABLE initialized (id int PRIMARY KEY, note text);
