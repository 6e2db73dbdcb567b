export { addBusinessDays, dueDate } from "./schedule.js";
