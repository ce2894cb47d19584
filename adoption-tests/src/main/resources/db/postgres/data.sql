INSERT INTO owners (first_name, last_name, city) SELECT 'George', 'Franklin', 'Madison' WHERE NOT EXISTS (SELECT 1 FROM owners);
INSERT INTO owners (first_name, last_name, city) SELECT 'Betty', 'Davis', 'Sun Prairie' WHERE (SELECT count(*) FROM owners) = 1;
