import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { setupI18n } from "./i18n";
import { AuthProvider } from "./identity/AuthProvider";
import { routes } from "./routes";
import "./ui/styles.css";

setupI18n();
const router = createBrowserRouter(routes);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <AuthProvider>
      <RouterProvider router={router} />
    </AuthProvider>
  </StrictMode>,
);
