INSERT INTO owners VALUES (DEFAULT, 'George', 'Franklin', 'Madison');
INSERT INTO owners VALUES (DEFAULT, 'Betty', 'Davis', 'Sun Prairie');
INSERT INTO owners VALUES (DEFAULT, 'Eduardo', 'Rodriquez', 'McFarland');
INSERT INTO owners VALUES (DEFAULT, 'Harold', 'Davis', 'Windsor');
