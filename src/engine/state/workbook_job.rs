//! A workbook to write, asked of the worker. The page is built without the workbook writer
//! (Cargo.toml's `xlsx` feature: it is a large part of the WebAssembly, and most visits never
//! write a workbook), so "Download … Excel" sends what the workbook holds to the worker, which
//! writes it with [`write_workbook`] and sends the file's bytes back. Natively and in the
//! worker the writer is built in and the same function writes the same bytes.

use serde::{Deserialize, Serialize};

use crate::engine::calc::arithmetic::ArithmeticMap;
use crate::engine::model::error::Error;
use crate::engine::model::schedule::Schedule;
use crate::engine::write::gap::GapSheet;

/// What to write.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WorkbookJob {
    /// The schedule, its totals and subtotals as live formulas, with the arithmetic map of its
    /// file as a second sheet when given (`to_xlsx_with_map`; the totals are worked out again
    /// from the schedule, exactly as the page works them out).
    Schedule {
        #[serde(with = "super::job::schedule_wire")]
        schedule: Schedule,
        map: Option<ArithmeticMap>,
    },
    /// The funding gap's derived figures (`gap_sheet_to_xlsx`).
    Gap(GapSheet),
}

/// The workbook's bytes, or the message saying why it could not be written. A build without
/// the writer (the page's) says that workbooks are written by the worker.
pub fn write_workbook(job: &WorkbookJob) -> Result<Vec<u8>, Error> {
    #[cfg(feature = "xlsx")]
    {
        use crate::engine::calc::results::calculate;
        use crate::engine::write::xlsx::{gap_sheet_to_xlsx, to_xlsx_with_map};
        match job {
            WorkbookJob::Schedule { schedule, map } => {
                to_xlsx_with_map(schedule, &calculate(schedule).totals, map.as_ref())
            }
            WorkbookJob::Gap(sheet) => gap_sheet_to_xlsx(sheet),
        }
    }
    #[cfg(not(feature = "xlsx"))]
    {
        let _ = job;
        Err(Error::new(
            crate::engine::model::error::ErrorKind::WorkbookElsewhere,
        ))
    }
}

#[cfg(all(test, feature = "xlsx"))]
mod tests {
    use super::*;
    use crate::engine::calc::gap::compute_gap;
    use crate::engine::read::gap::gap_model;
    use crate::engine::read::import;
    use crate::engine::read::ImportOptions;
    use crate::engine::state::job::{decode, encode};
    use crate::engine::write::gap::gap_sheet;
    use crate::engine::write::xlsx::{gap_to_xlsx, to_xlsx_with_map};

    /// A job that has crossed to the worker writes the same bytes as the page would have.
    #[test]
    fn a_job_after_crossing_writes_the_same_workbook() {
        let csv = "Project,2017/18,2018/19,Total\nA,\"1,000.0\",(200.0),800.0\nB,5.5,4.5,10.0\n";
        let imported = import(csv.as_bytes(), "a.csv", &ImportOptions::default()).unwrap();
        let schedule = imported.schedule;
        let job = WorkbookJob::Schedule {
            schedule: schedule.clone(),
            map: None,
        };
        let crossed: WorkbookJob = decode(&encode(&job)).unwrap();
        assert_eq!(crossed, job);
        let totals = crate::engine::calc::results::calculate(&schedule).totals;
        assert_eq!(
            write_workbook(&crossed).unwrap(),
            to_xlsx_with_map(&schedule, &totals, None).unwrap()
        );

        let gap_csv = "Line,2020/21,2021/22\n,£m,£m\nNet Budget,50,50\nPressures,3.5,5\n";
        let model = gap_model(
            &import(gap_csv.as_bytes(), "g.csv", &ImportOptions::default())
                .unwrap()
                .schedule,
        );
        let figures = compute_gap(&model, None);
        let job = WorkbookJob::Gap(gap_sheet(&model, &figures));
        let crossed: WorkbookJob = decode(&encode(&job)).unwrap();
        assert_eq!(
            write_workbook(&crossed).unwrap(),
            gap_to_xlsx(&model, &figures).unwrap()
        );
    }
}

#[cfg(all(test, not(feature = "xlsx")))]
mod page_build_tests {
    use super::*;
    use crate::engine::model::error::ErrorKind;
    use crate::engine::read::{import, ImportOptions};

    /// The page's build has no writer: it says the worker writes workbooks.
    #[test]
    fn page_build_says_the_worker_writes_workbooks() {
        let csv = "Project,2017/18\nA,1\n";
        let schedule = import(csv.as_bytes(), "a.csv", &ImportOptions::default())
            .unwrap()
            .schedule;
        let e = write_workbook(&WorkbookJob::Schedule {
            schedule,
            map: None,
        })
        .unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::WorkbookElsewhere);
    }
}
