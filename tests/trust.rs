//! A scanned repository is hostile (spec: "Trust"). A canary secret lives outside a temporary
//! repository; every way the repository can point at it (absolute path, `../` climb,
//! `path.module/../..`, symlinked tfvars, symlinked directory, symlinked module source, module
//! source outside, `/dev/zero`, a FIFO, configuration `output`/`baseline` outside, a symlink at the
//! output path) is run through the real binary in every format. The secret never appears, nothing
//! outside changes, each refusal is a notice at the reference, and every run ends within seconds.
//! A control run with `--allow-outside-root` shows that the same repository does leak when the
//! rule is lifted, so the refusals are what keeps the secret in. Legitimate reads keep working.
#![cfg(unix)]

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SECRET: &str = "CANARY-7f3e9b21-do-not-print";
const FORMATS: [&str; 5] = ["human", "json", "sarif", "github", "gitlab"];

/// A policy that would give a finding (TG001: no PutObject) whose snippet holds the secret.
fn secret_policy() -> String {
    format!(
        r#"{{"Statement": [{{"Effect": "Allow", "Principal": {{"Service": "cloudtrail.amazonaws.com"}}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::{SECRET}"}}], "auths": {{"ghcr.io": {{"auth": "{SECRET}"}}}}}}"#
    )
}

struct World {
    _tmp: tempfile::TempDir,
    outside: PathBuf,
    repo: PathBuf,
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

/// The hostile repository and the secrets beside it.
fn hostile() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    let repo = tmp.path().join("repo");
    for d in ["dir", "module"] {
        fs::create_dir_all(outside.join(d)).unwrap();
    }
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::create_dir_all(repo.join("modules")).unwrap();
    fs::write(outside.join("secret.json"), secret_policy()).unwrap();
    fs::write(outside.join("dir/policy.json"), secret_policy()).unwrap();
    fs::write(
        outside.join("ci.env"),
        format!("DEPLOY_TOKEN = \"{SECRET}\"\n"),
    )
    .unwrap();
    fs::write(
        outside.join("module/main.tf"),
        format!(
            "resource \"aws_cloudtrail\" \"m\" {{\n  name           = \"m\"\n  s3_bucket_name = \"{SECRET}\"\n}}\n"
        ),
    )
    .unwrap();
    fs::write(outside.join("victim.txt"), "precious\n").unwrap();
    let abs = outside.join("secret.json");
    fs::write(
        repo.join("main.tf"),
        format!(
            r#"resource "aws_s3_bucket_policy" "absolute" {{
  bucket = "b1"
  policy = file("{abs}")
}}

resource "aws_s3_bucket" "b2" {{
  bucket = "b2"
}}

resource "aws_cloudtrail" "climb" {{
  name           = "climb"
  s3_bucket_name = aws_s3_bucket.b2.id
}}

resource "aws_s3_bucket_policy" "climb" {{
  bucket = aws_s3_bucket.b2.id
  policy = file("../outside/secret.json")
}}

resource "aws_s3_bucket_policy" "module_climb" {{
  bucket = "b3"
  policy = file("${{path.module}}/../outside/secret.json")
}}

locals {{
  leak = jsondecode(file("../outside/secret.json"))
}}

resource "aws_s3_bucket" "leak" {{
  bucket = local.leak.auths["ghcr.io"].auth
}}

resource "aws_cloudtrail" "leak" {{
  name           = "leak"
  s3_bucket_name = aws_s3_bucket.leak.id
}}

variable "DEPLOY_TOKEN" {{}}

resource "aws_s3_bucket" "token" {{
  bucket = var.DEPLOY_TOKEN
}}

resource "aws_cloudtrail" "token" {{
  name           = "token"
  s3_bucket_name = aws_s3_bucket.token.id
}}

resource "aws_s3_bucket_policy" "zero" {{
  bucket = "b4"
  policy = file("/dev/zero")
}}

resource "aws_s3_bucket_policy" "fifo" {{
  bucket = "b5"
  policy = file("${{path.module}}/pipe.json")
}}

module "outside" {{
  source = "../outside/module"
}}

module "linked" {{
  source = "./modules/evil"
}}
"#,
            abs = abs.display()
        ),
    )
    .unwrap();
    symlink(outside.join("ci.env"), repo.join("terraform.tfvars")).unwrap();
    symlink(outside.join("dir"), repo.join("linked")).unwrap();
    symlink(outside.join("module"), repo.join("modules/evil")).unwrap();
    symlink("/dev/zero", repo.join("zero.json")).unwrap();
    mkfifo(&repo.join("pipe.json"));
    World {
        _tmp: tmp,
        outside,
        repo,
    }
}

/// A hash of every name and regular file's bytes under `dir`.
fn tree_hash(dir: &Path) -> String {
    let mut h = Sha256::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = vec![];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = fs::symlink_metadata(&p).unwrap();
            seen.push((p.clone(), m.len(), m.file_type().is_dir()));
            if m.is_dir() {
                stack.push(p);
            } else if m.is_file() {
                h.update(fs::read(&p).unwrap());
            }
        }
    }
    seen.sort();
    h.update(format!("{seen:?}"));
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let started = Instant::now();
    let out = Command::cargo_bin("trailguard")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(20),
        "{args:?} took {took:?}: a read blocked or ran away"
    );
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn assert_no_secret(what: &str, run: &Run) {
    assert!(
        !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
        "{what}: the secret leaked\nstdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn hostile_references_are_refused_in_every_format() {
    let w = hostile();
    let before = tree_hash(&w.outside);
    for format in FORMATS {
        let r = run(&w.repo, &["scan", "--format", format, "."]);
        assert!(matches!(r.code, Some(0 | 1)), "{format}: {}", r.stderr);
        assert_no_secret(format, &r);
        // Written to a file, the report is as clean.
        let report = w.repo.join(format!("report.{format}"));
        let r = run(
            &w.repo,
            &[
                "scan",
                "--format",
                format,
                "--output",
                report.to_str().unwrap(),
                ".",
            ],
        );
        assert!(matches!(r.code, Some(0 | 1)), "{format}: {}", r.stderr);
        assert_no_secret(format, &r);
        assert!(!fs::read_to_string(&report).unwrap().contains(SECRET));
    }
    assert_eq!(before, tree_hash(&w.outside), "something outside changed");
}

#[test]
fn each_refusal_is_a_notice_at_its_reference() {
    let w = hostile();
    let r = run(&w.repo, &["scan", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let notices: Vec<String> = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{}:{}: {}",
                n["path"].as_str().unwrap(),
                n["line"].as_u64().unwrap_or(0),
                n["message"].as_str().unwrap()
            )
        })
        .collect();
    let main = fs::read_to_string(w.repo.join("main.tf")).unwrap();
    // "main.tf:LINE: " of the first line holding `what`.
    let at = |what: &str| {
        let line = main.lines().position(|l| l.contains(what)).unwrap() + 1;
        format!("main.tf:{line}: ")
    };
    let expect = [
        (at("policy = file(\"/") + "file(", "leaves the scan root"),
        (
            at("policy = file(\"../outside") + "file(\"../",
            "leaves the scan root",
        ),
        (
            at("path.module}/../outside") + "file(",
            "leaves the scan root",
        ),
        (at("jsondecode") + "file(\"../", "leaves the scan root"),
        (
            at("/dev/zero") + "file(\"/dev/zero\")",
            "leaves the scan root",
        ),
        (at("pipe.json") + "file(", "not a regular file (a FIFO)"),
        (
            at("../outside/module") + "module source",
            "leaves the scan root",
        ),
        (
            at("./modules/evil") + "module source",
            "leaves the scan root",
        ),
        (
            "terraform.tfvars:0: symlink not followed".into(),
            "leaves the scan root",
        ),
        (
            "linked:0: symlink not followed".into(),
            "leaves the scan root",
        ),
        (
            "modules/evil:0: symlink not followed".into(),
            "leaves the scan root",
        ),
        (
            "zero.json:0: symlink not followed".into(),
            "leaves the scan root",
        ),
        ("pipe.json:0: skipped".into(), "not a regular file (a FIFO)"),
    ];
    for (start, contains) in &expect {
        assert!(
            notices
                .iter()
                .any(|n| n.starts_with(start.as_str()) && n.contains(contains)),
            "no notice {start}…{contains} in {notices:#?}"
        );
    }
    // Every format says it: SARIF as a tool notification with the reference's position.
    let zero_line = main.lines().position(|l| l.contains("/dev/zero")).unwrap() + 1;
    let r = run(&w.repo, &["scan", "--format", "sarif", "."]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let notes = v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes.iter().any(|n| {
        n["message"]["text"]
            .as_str()
            .unwrap()
            .contains("file(\"/dev/zero\")")
            && n["locations"][0]["physicalLocation"]["region"]["startLine"] == zero_line
    }));
    let r = run(&w.repo, &["scan", "--format", "github", "."]);
    assert!(r.stdout.contains(&format!(
        "::notice file=main.tf,line={zero_line},col=12,title=trailguard::file(\"/dev/zero\")"
    )));
    let r = run(&w.repo, &["scan", "."]);
    assert!(r.stdout.contains(&format!(
        "note: main.tf:{zero_line}:12: file(\"/dev/zero\") not read"
    )));
}

#[test]
fn lifting_the_rule_reads_outside_but_never_a_device_or_fifo() {
    // The control: the same repository leaks once the user lifts the rule, so the refusals
    // above are what keeps the secret in.
    let w = hostile();
    let r = run(
        &w.repo,
        &["scan", "--allow-outside-root", "--format", "json", "."],
    );
    let human = run(&w.repo, &["scan", "--allow-outside-root", "."]);
    assert!(
        human.stdout.contains(SECRET),
        "the control run read nothing: {}",
        human.stdout
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let msgs: Vec<&str> = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs.contains(&"file(\"/dev/zero\") not read: it is not a regular file (a device)"),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("(a FIFO)")), "{msgs:?}");
}

#[test]
fn a_configuration_may_not_write_or_read_outside_its_tree() {
    let w = hostile();
    let before = tree_hash(&w.outside);
    for (key, value, line_col) in [
        ("output", "../outside/victim.txt", "1:10"),
        ("baseline", "../outside/victim.txt", "1:12"),
        ("output", "/tmp/elsewhere.txt", "1:10"),
        ("output", "linked/x.txt", "1:10"),
    ] {
        fs::write(
            w.repo.join(".trailguard.toml"),
            format!("{key} = \"{value}\"\n"),
        )
        .unwrap();
        for format in FORMATS {
            let r = run(&w.repo, &["scan", "--format", format, "."]);
            assert_eq!(r.code, Some(2), "{key} = {value}: {}", r.stderr);
            assert!(
                r.stderr
                    .contains(&format!(".trailguard.toml:{line_col}: {key}")),
                "{}",
                r.stderr
            );
            assert_no_secret(key, &r);
        }
    }
    // Inside its own tree it is obeyed.
    fs::write(
        w.repo.join(".trailguard.toml"),
        "output = \"out/r.json\"\nformat = \"json\"\n",
    )
    .unwrap();
    fs::create_dir_all(w.repo.join("out")).unwrap();
    let r = run(&w.repo, &["scan", "."]);
    assert_eq!(r.stdout, "");
    assert!(
        fs::read_to_string(w.repo.join("out/r.json"))
            .unwrap()
            .contains("\"notices\"")
    );
    // A FIFO the repository holds at its configured output is refused, never opened (the write
    // would wait for a reader forever).
    mkfifo(&w.repo.join("out/fifo.json"));
    fs::write(
        w.repo.join(".trailguard.toml"),
        "output = \"out/fifo.json\"\nformat = \"json\"\n",
    )
    .unwrap();
    let r = run(&w.repo, &["scan", "."]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("output \"out/fifo.json\" is a FIFO, not a file"),
        "{}",
        r.stderr
    );
    fs::write(
        w.repo.join(".trailguard.toml"),
        "output = \"out/r.json\"\nformat = \"json\"\n",
    )
    .unwrap();
    // `--output -` puts the report back on stdout whatever the configuration says.
    let r = run(&w.repo, &["scan", "--output", "-", "."]);
    assert!(r.stdout.contains("\"notices\""));
    // A configuration that is a symlink out of the root is refused.
    fs::remove_file(w.repo.join(".trailguard.toml")).unwrap();
    symlink(w.outside.join("ci.env"), w.repo.join(".trailguard.toml")).unwrap();
    let r = run(&w.repo, &["scan", "."]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("leaves the scan root"), "{}", r.stderr);
    assert_no_secret("symlinked config", &r);
    assert_eq!(before, tree_hash(&w.outside), "something outside changed");
}

#[test]
fn writes_replace_a_symlink_at_the_destination() {
    let w = hostile();
    let before = tree_hash(&w.outside);
    symlink(w.outside.join("victim.txt"), w.repo.join("report.sarif")).unwrap();
    symlink(w.outside.join("victim.txt"), w.repo.join("baseline.json")).unwrap();
    let r = run(
        &w.repo,
        &["scan", "--format", "sarif", "--output", "report.sarif", "."],
    );
    assert!(matches!(r.code, Some(0 | 1)), "{}", r.stderr);
    let r = run(&w.repo, &["scan", "--write-baseline", "baseline.json", "."]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for name in ["report.sarif", "baseline.json"] {
        let m = fs::symlink_metadata(w.repo.join(name)).unwrap();
        assert!(m.is_file(), "{name} is still a symlink");
    }
    assert_eq!(
        fs::read_to_string(w.outside.join("victim.txt")).unwrap(),
        "precious\n"
    );
    assert_eq!(before, tree_hash(&w.outside), "something outside changed");
}

#[test]
fn a_named_fifo_or_device_is_a_notice_not_a_hang() {
    let w = hostile();
    let r = run(
        &w.repo,
        &["scan", "--format", "json", "pipe.json", "zero.json"],
    );
    assert!(matches!(r.code, Some(0 | 1)), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let msgs: Vec<String> = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{}: {}",
                n["path"].as_str().unwrap(),
                n["message"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        msgs.contains(&"pipe.json: skipped: it is not a regular file (a FIFO)".to_string()),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("zero.json: ") && m.contains("leaves the scan root")),
        "{msgs:?}"
    );
}

#[test]
fn reads_inside_the_repository_keep_working() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    for d in [".git", "envs/prod", "envs/shared", "modules/x"] {
        fs::create_dir_all(repo.join(d)).unwrap();
    }
    // A policy without s3:PutObject (TG001) read three ways.
    let bad = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::${bucket}"}]}"#;
    fs::write(
        repo.join("envs/prod/policy.json"),
        bad.replace("${bucket}", "prod-logs"),
    )
    .unwrap();
    fs::write(repo.join("envs/shared/p.tpl"), bad).unwrap();
    fs::write(
        repo.join("modules/x/policy.json"),
        bad.replace("${bucket}", "x-logs"),
    )
    .unwrap();
    fs::write(
        repo.join("envs/prod/main.tf"),
        r#"resource "aws_s3_bucket_policy" "file" {
  bucket = "prod-logs"
  policy = file("${path.module}/policy.json")
}

resource "aws_s3_bucket_policy" "template" {
  bucket = "shared-logs"
  policy = templatefile("../shared/p.tpl", { bucket = "shared-logs" })
}

module "x" {
  source = "../../modules/x"
}
"#,
    )
    .unwrap();
    fs::write(
        repo.join("modules/x/main.tf"),
        r#"resource "aws_s3_bucket_policy" "x" {
  bucket = "x-logs"
  policy = file("${path.module}/policy.json")
}
"#,
    )
    .unwrap();
    let r = run(&repo, &["scan", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut got: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["path"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    got.dedup();
    assert_eq!(
        got,
        [
            "TG001 envs/prod/policy.json",
            "TG001 envs/shared/p.tpl",
            "TG001 modules/x/policy.json"
        ],
        "{:#}",
        v
    );
    assert_eq!(
        v["notices"].as_array().unwrap().len(),
        0,
        "{:#}",
        v["notices"]
    );
}

#[test]
fn ignore_files_are_read_like_any_other_file() {
    let w = hostile();
    let bad = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::b"}]}"#;
    for d in ["sub", "zero", "fifo"] {
        fs::create_dir_all(w.repo.join(d)).unwrap();
        fs::write(w.repo.join(d).join("p.json"), bad).unwrap();
        fs::write(w.repo.join(d).join("skipped.json"), bad).unwrap();
        fs::write(w.repo.join(d).join(".ignore"), "skipped.json\n").unwrap();
    }
    // An ignore file leading out of the root (its globs would come from the secret), one that
    // never ends, one that never opens: each is a notice, and the rest is still scanned.
    symlink(w.outside.join("secret.json"), w.repo.join(".gitignore")).unwrap();
    symlink("/dev/zero", w.repo.join("zero/.gitignore")).unwrap();
    mkfifo(&w.repo.join("fifo/.gitignore"));
    // A directory with nothing trailguard reads still has its ignore files read, and said.
    fs::create_dir_all(w.repo.join("docs")).unwrap();
    fs::write(w.repo.join("docs/notes.txt"), "notes\n").unwrap();
    mkfifo(&w.repo.join("docs/.gitignore"));
    symlink(w.outside.join("secret.json"), w.repo.join("docs/.ignore")).unwrap();
    let before = tree_hash(&w.outside);
    for format in FORMATS {
        let r = run(&w.repo, &["scan", "--format", format, "."]);
        assert_no_secret(format, &r);
    }
    let r = run(&w.repo, &["scan", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "TG001")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["fifo/p.json", "sub/p.json", "zero/p.json"]);
    let notices = v["notices"].as_array().unwrap();
    for (path, why) in [
        (".gitignore", "leaves the scan root"),
        ("zero/.gitignore", "leaves the scan root"),
        ("fifo/.gitignore", "not a regular file (a FIFO)"),
        ("docs/.gitignore", "not a regular file (a FIFO)"),
        ("docs/.ignore", "leaves the scan root"),
    ] {
        assert!(
            notices.iter().any(|n| n["path"] == path
                && n["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("ignore file not read: ")
                && n["message"].as_str().unwrap().contains(why)),
            "{path}: {notices:?}"
        );
    }
    assert_eq!(before, tree_hash(&w.outside));
}

#[test]
fn a_scanned_path_that_is_a_symlink_out_of_the_repository_is_not_read() {
    // CI scans `infra/`; the pull request turned it into a link to another repository, or to a
    // directory with a configuration that writes over a file there.
    let w = hostile();
    let other = w.outside.join("other-repo");
    fs::create_dir_all(other.join(".git")).unwrap();
    fs::write(other.join("policy.json"), secret_policy()).unwrap();
    fs::write(
        other.join(".trailguard.toml"),
        "output = \"victim.txt\"\nfail-on = \"CANARY-7f3e9b21-do-not-print\"\n",
    )
    .unwrap();
    fs::write(other.join("victim.txt"), "precious\n").unwrap();
    symlink(&other, w.repo.join("infra")).unwrap();
    symlink(w.outside.join("dir"), w.repo.join("plain")).unwrap();
    let before = tree_hash(&w.outside);
    for format in FORMATS {
        for path in ["infra", "plain"] {
            let r = run(&w.repo, &["scan", "--format", format, path]);
            assert_no_secret(path, &r);
        }
    }
    // The configuration found through the link is refused, loudly.
    let r = run(&w.repo, &["scan", "infra"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("refusing the configuration file"),
        "{}",
        r.stderr
    );
    // Without it, the path itself is a notice and nothing under it is read or listed.
    fs::remove_file(other.join(".trailguard.toml")).unwrap();
    let r = run(&w.repo, &["scan", "--format", "json", "infra"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    assert_eq!(v["files_scanned"], 0);
    assert!(
        v["notices"]
            .to_string()
            .contains("not scanned: it leaves the scan root"),
        "{}",
        v["notices"]
    );
    // Nor when the path ends with `/` or `/.` (the system follows the link then): nothing
    // under it is listed either.
    fs::write(other.join("listed.json"), "{}").unwrap();
    for path in ["infra/", "infra/.", "infra/./", "infra/.."] {
        let r = run(&w.repo, &["scan", "--format", "json", path]);
        assert!(
            r.stdout.contains("not scanned: it leaves the scan root"),
            "{path}: {}",
            r.stdout
        );
        assert!(!r.stdout.contains("listed.json"), "{path}: {}", r.stdout);
    }
    assert_eq!(
        fs::read_to_string(other.join("victim.txt")).unwrap(),
        "precious\n"
    );
    fs::write(other.join(".trailguard.toml"), "").unwrap();
    assert_ne!(before, tree_hash(&w.outside), "the hash sees changes");
}

#[test]
fn a_scanned_path_through_a_symlink_and_up_is_the_directory_the_system_reads() {
    // `l/..` where `l -> a/b` is `a` to the system (and to `ls`), not the repository root: its
    // files are reported under `a/`, and `a`'s ignore file applies.
    let w = hostile();
    let policy = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::b"}]}"#;
    fs::create_dir_all(w.repo.join("a/b")).unwrap();
    fs::write(w.repo.join("a/.gitignore"), "ignored.json\n").unwrap();
    fs::write(w.repo.join("a/ignored.json"), policy).unwrap();
    fs::write(w.repo.join("a/kept.json"), policy).unwrap();
    fs::write(w.repo.join("top.json"), policy).unwrap();
    symlink("a/b", w.repo.join("l")).unwrap();
    let paths = |r: &Run| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let mut p: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        p.dedup();
        p
    };
    let r = run(&w.repo, &["scan", "--format", "json", "l/.."]);
    assert_eq!(paths(&r), ["a/kept.json"], "{}", r.stdout);
    let r = run(&w.repo, &["scan", "--format", "json", "l/../kept.json"]);
    assert_eq!(paths(&r), ["a/kept.json"], "{}", r.stdout);
    // A `..` that means the same either way is kept as written.
    let r = run(&w.repo, &["scan", "--format", "json", "a/b/../.."]);
    assert_eq!(paths(&r), ["a/kept.json", "top.json"], "{}", r.stdout);
}

#[test]
fn a_named_baseline_or_configuration_inside_the_repository_may_not_lead_out() {
    let w = hostile();
    fs::write(
        w.outside.join("baseline.json"),
        format!("{{\"version\": \"{SECRET}\", \"findings\": []}}"),
    )
    .unwrap();
    fs::write(w.outside.join("config.toml"), format!("{SECRET} = \"x\"\n")).unwrap();
    symlink(
        w.outside.join("baseline.json"),
        w.repo.join("baseline.json"),
    )
    .unwrap();
    symlink(w.outside.join("config.toml"), w.repo.join("tg.toml")).unwrap();
    for args in [
        ["scan", "--baseline", "baseline.json", "."],
        ["scan", "--config", "tg.toml", "."],
    ] {
        let r = run(&w.repo, &args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("leaves the scan root"), "{}", r.stderr);
        assert_no_secret(args[1], &r);
    }
    // A broken baseline of the user's own is reported without quoting it.
    fs::remove_file(w.repo.join("baseline.json")).unwrap();
    fs::copy(
        w.outside.join("baseline.json"),
        w.repo.join("baseline.json"),
    )
    .unwrap();
    let r = run(&w.repo, &["scan", "--baseline", "baseline.json", "."]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("baseline.json:1:"), "{}", r.stderr);
    assert_no_secret("baseline", &r);
}

#[test]
fn exponential_terraform_is_cut_short_with_a_notice() {
    // Values that double at every step (lists, strings, maps), a template that includes
    // itself twice, and modules that call the next one three times: 2^60 and 3^16 steps if
    // evaluated naively.
    let tmp = tempfile::tempdir().unwrap();
    let head = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n\nresource \"aws_cloudtrail\" \"t\" {\n  name           = \"t\"\n  s3_bucket_name = aws_s3_bucket.logs.id\n}\n\n";
    let chain = |f: &dyn Fn(usize) -> String, last: &str| {
        let mut s = String::from("locals {\n");
        for i in 0..60 {
            s.push_str(&format!("  l{i} = {}\n", f(i + 1)));
        }
        s.push_str(&format!("  l60 = {last}\n}}\n"));
        s
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "lists",
            chain(&|n| format!("[local.l{n}, local.l{n}]"), "\"x\""),
        ),
        (
            "strings",
            chain(
                &|n| format!("\"${{local.l{n}}}${{local.l{n}}}\""),
                "\"xxxxxxxx\"",
            ),
        ),
        (
            "maps",
            chain(
                &|n| format!("{{ a = local.l{n}, b = local.l{n} }}"),
                "\"x\"",
            ),
        ),
    ];
    for (name, locals) in &cases {
        let d = tmp.path().join(name);
        fs::create_dir_all(&d).unwrap();
        fs::write(
            d.join("main.tf"),
            format!("{head}{locals}\nresource \"aws_s3_bucket_policy\" \"p\" {{\n  bucket = aws_s3_bucket.logs.id\n  policy = jsonencode(local.l0)\n}}\n"),
        )
        .unwrap();
    }
    let d = tmp.path().join("template");
    fs::create_dir_all(&d).unwrap();
    fs::write(
        d.join("t.tpl"),
        "[${templatefile(\"t.tpl\", {})}, ${templatefile(\"t.tpl\", {})}]",
    )
    .unwrap();
    fs::write(
        d.join("main.tf"),
        format!("{head}resource \"aws_s3_bucket_policy\" \"p\" {{\n  bucket = aws_s3_bucket.logs.id\n  policy = templatefile(\"t.tpl\", {{}})\n}}\n"),
    )
    .unwrap();
    let d = tmp.path().join("modules");
    fs::create_dir_all(&d).unwrap();
    fs::write(
        d.join("main.tf"),
        format!("{head}resource \"aws_s3_bucket_policy\" \"p\" {{\n  bucket = aws_s3_bucket.logs.id\n  policy = module.a.o\n}}\n\nmodule \"a\" {{\n  source = \"./m0\"\n}}\n"),
    )
    .unwrap();
    for i in 0..16 {
        let m = d.join(format!("m{i}"));
        fs::create_dir_all(&m).unwrap();
        let body = if i == 15 {
            "output \"o\" {\n  value = \"x\"\n}\n".to_string()
        } else {
            let n = i + 1;
            format!(
                "module \"a\" {{\n  source = \"../m{n}\"\n}}\nmodule \"b\" {{\n  source = \"../m{n}\"\n}}\nmodule \"c\" {{\n  source = \"../m{n}\"\n}}\noutput \"o\" {{\n  value = [module.a.o, module.b.o, module.c.o]\n}}\n"
            )
        };
        fs::write(m.join("main.tf"), format!("# aws_s3_bucket\n{body}")).unwrap();
    }
    for name in ["lists", "strings", "maps", "template", "modules"] {
        let r = run(&tmp.path().join(name), &["scan", "--format", "json", "."]);
        assert!(matches!(r.code, Some(0 | 1)), "{name}: {}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let notices = v["notices"].to_string();
        assert!(
            notices.contains("larger than trailguard keeps")
                || notices.contains("evaluation budget"),
            "{name}: no notice in {notices}"
        );
    }
}

#[test]
fn writing_to_a_fifo_or_device_writes_into_it_instead_of_replacing_it() {
    // `--output /dev/null` once replaced the machine's /dev/null with a regular file (an atomic
    // rename over a device node). A FIFO stands in for a device here.
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("report.pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let r = run(
        tmp.path(),
        &[
            "scan",
            "--format",
            "json",
            "--output",
            fifo.to_str().unwrap(),
            ".",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let got = reader.join().unwrap();
    assert!(got.contains("\"findings\""), "{got}");
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // The system's own /dev/null stays a device.
    let r = run(tmp.path(), &["scan", "--output", "/dev/null", "."]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

/// A `modules.json` of `terraform init` that points a module outside the repository: the
/// module is not read, and a notice says so.
#[test]
fn installed_modules_outside_the_root_are_refused_with_a_notice() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("main.tf"),
        "resource \"aws_s3_bucket_policy\" \"x\" {\n  bucket = \"b\"\n  policy = \"{\\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Principal\\\": {\\\"Service\\\": \\\"cloudtrail.amazonaws.com\\\"}, \\\"Action\\\": \\\"s3:GetBucketAcl\\\", \\\"Resource\\\": \\\"arn:aws:s3:::b\\\"}]}\"\n}\n",
    )
    .unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join(".terraform/modules")).unwrap();
    std::fs::write(
        repo.join(".terraform/modules/modules.json"),
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"evil","Source":"x/y/aws","Dir":"../outside"}]}"#,
    )
    .unwrap();
    std::fs::write(
        repo.join("main.tf"),
        "module \"evil\" {\n  source = \"x/y/aws\"\n  policy = \"p\"\n}\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("trailguard")
        .unwrap()
        .args(["scan", "--format", "json"])
        .arg(&repo)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0), "{v}");
    let notices = v["notices"].to_string();
    assert!(
        notices.contains("module \\\"evil\\\" not read")
            && notices.contains("leaves the scan root"),
        "{notices}"
    );
}
