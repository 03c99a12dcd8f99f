// Component tests render in Russian, as the app starts.
import { setupI18n } from "./i18n";

setupI18n("ru");
