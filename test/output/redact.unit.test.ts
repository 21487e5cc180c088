import { describe, expect, it } from 'vitest';
import { redact, registerSecret } from '../../src/output/redact.js';

describe('redact', () => {
  it('hides SQL password literals of every quoting style', () => {
    expect(redact("create role a login password 'it''s secret'")).toBe("create role a login password '***'");
    expect(redact("alter role a password E'it\\'s secret' valid until 'infinity'")).toBe("alter role a password '***' valid until 'infinity'");
    expect(redact('create role a password $$dollar secret$$ login')).toBe("create role a password '***' login");
    expect(redact('create role a password $pw$has $$ inside$pw$ login')).toBe("create role a password '***' login");
    expect(redact("ALTER USER a WITH PASSWORD = 'x1'")).toBe("ALTER USER a WITH PASSWORD = '***'");
  });

  it('hides a literal cut short to the end of its line, and never touches the next line', () => {
    const rows = ["1 | create role a password 'cut sho", "2 | select 'neighbour' from t where x = 'y'", '3 | create role b password $$cut', '4 | select $$kept$$'].join('\n');
    expect(redact(rows)).toBe(["1 | create role a password '***'", "2 | select 'neighbour' from t where x = 'y'", "3 | create role b password '***'", '4 | select $$kept$$'].join('\n'));
    expect(redact("create role a password E'cut \\' sho")).toBe("create role a password '***'");
  });

  it('hides key=value and JSON passwords, keeping JSON valid', () => {
    expect(redact('host=db password=hunter2 user=x')).toBe('host=db password=*** user=x');
    expect(redact('PGPASSWORD=hunter2 psql -h db')).toBe('PGPASSWORD=*** psql -h db');
    const json = JSON.stringify({ password: 'hunter2', db_password: 'x"y', slug: 'acme' });
    expect(JSON.parse(redact(json))).toEqual({ password: '***', db_password: '***', slug: 'acme' });
  });

  it('hides a URL password typed without %-encoding, whole: with / or @ or : in it', () => {
    expect(redact('is not postgresql://owner1:S3cr/et99@127.0.0.1:5432/app1 ok')).toBe('is not postgresql://owner1:***@127.0.0.1:5432/app1 ok');
    expect(redact('postgresql://owner1:p@ss:w/rd%@db.internal:5432/app1')).toBe('postgresql://owner1:***@db.internal:5432/app1');
    expect(redact('"postgresql://u:a/b+c==@[::1]:5432/db"')).toBe('"postgresql://u:***@[::1]:5432/db"');
    expect(redact('postgres://u:x@y@h1:5432,h2:5433/db')).toBe('postgres://u:***@h1:5432,h2:5433/db');
    expect(redact('postgresql:/u:p/w@host/db')).toBe('postgresql:/u:***@host/db');
    expect(redact('postgresql://u:p@ss:/x@host/db')).toBe('postgresql://u:***@host/db');
  });

  it('hides URL passwords and passfile lines', () => {
    expect(redact('postgresql://u:pw@h/db and https://x:y@z/path?mail=a@b')).toBe('postgresql://u:***@h/db and https://x:***@z/path?mail=a@b');
    expect(redact('localhost:5432:*:tenantctl:longsecret')).toBe('localhost:5432:*:tenantctl:***');
    expect(redact('10:30:00 12:00:00')).toBe('10:30:00 12:00:00');
  });

  it('scrubs the database password only as a credential, never as a bare substring of data', () => {
    registerSecret('demo');
    expect(redact('tenant demo_0002 (demo) at alice:demo@db.example')).toBe('tenant demo_0002 (demo) at alice:***@db.example');
  });

  it('leaves ordinary words about passwords alone', () => {
    expect(redact('password authentication failed for user "x"')).toBe('password authentication failed for user "x"');
    expect(redact('reset_password_token expired; passwords are hashed')).toBe('reset_password_token expired; passwords are hashed');
  });

  it('scrubs credentials without a colon (the keyword alone selects the full check), and leaves plain values as they are', () => {
    expect(redact('PaSsWd=hunter2')).toBe('PaSsWd=***');
    expect(redact("create role a PASSWORD 'x1'")).toBe("create role a PASSWORD '***'");
    const plain = 'Org 00042 public.analytics_events 1,234 rows';
    expect(redact(plain)).toBe(plain);
  });
});
