//! `grader <exercise> [--file PATH] [--data DIR]`: the grader on its own, as a student pack
//! runs it (`cargo grade ex4`); in the repository, `cargo xtask grade` calls the same code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use grader::exercises::EXERCISES;
use grader::layout::Layout;

/// Grade an exercise part by part; exits 0 only at full marks.
#[derive(Parser)]
struct Cli {
    /// The exercise: perceptron, xnor, gradcheck or ex4 (or its chapter's folder name)
    exercise: Option<String>,
    /// The file to grade [default: chapters/<chapter>/exercise.rs]
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// The folder holding the course's ex4weights.mat [default: $BACKPROP_BOOK_DATA, ./data,
    /// ../shared/data]
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Grade only this part (repeatable) [default: every part]
    #[arg(long = "part", value_name = "ID")]
    parts: Vec<String>,
    /// List the exercises and their files
    #[arg(long)]
    list: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let layout = Layout::find();
    let Some(exercise) = cli.exercise.filter(|_| !cli.list) else {
        for e in EXERCISES {
            println!(
                "{:<11} {}  ({})",
                e.name,
                e.title,
                layout.template(e).display()
            );
        }
        return ExitCode::SUCCESS;
    };
    let request = grader::Request {
        exercise,
        file: cli.file,
        data: cli.data,
        parts: cli.parts,
    };
    match grader::grade(&layout, &request) {
        Ok(outcome) => {
            print!("{}", outcome.render());
            if outcome.full_marks() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("grader: {e}");
            ExitCode::from(2)
        }
    }
}
